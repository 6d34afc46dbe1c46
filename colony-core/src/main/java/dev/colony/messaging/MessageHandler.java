package dev.colony.messaging;

/**
 * Receives the messages of one agent's {@link Inbox}, one at a time, on the inbox's own virtual thread.
 *
 * <p>A handler that throws does not stop the inbox: the failure is counted, reported to the messenger's
 * failure handler and, when the message was a {@link Messenger#request request}, returned to the
 * requester as {@link ReplyFailure#RECIPIENT_FAILURE} with the exception's message.
 */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(Envelope message) throws Exception;
}
