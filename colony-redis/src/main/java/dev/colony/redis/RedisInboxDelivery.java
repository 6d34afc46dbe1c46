package dev.colony.redis;

import static dev.colony.redis.RedisMessengerScripts.bytes;
import static dev.colony.redis.RedisMessengerScripts.status;
import static dev.colony.redis.RedisMessengerScripts.text;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.MalformedMessageException;
import dev.colony.messaging.MessageCodec;
import dev.colony.messaging.MessageHandler;
import dev.colony.messaging.MessageTooLargeException;
import dev.colony.messaging.Messenger.HandlerFailure;
import dev.colony.messaging.SendOutcome;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The receiving side of a {@link RedisMessenger} node, for its inboxes: handling one entry on the inbox's
 * thread (the sender's envelope by reference or a decoded copy, duplicates skipped, expired messages
 * dead-lettered, handler failures counted and answered), an inbox's size, and what is left in a stream
 * when its inbox closes.
 */
final class RedisInboxDelivery {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);

    private final RedisMessenger messenger;
    private final MessageCodec codec;
    private final InstantSource clock;
    private final Consumer<HandlerFailure> onHandlerFailure;
    private final LongAdder failed = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder overDelivered = new LongAdder();

    RedisInboxDelivery(
            RedisMessenger messenger,
            MessageCodec codec,
            InstantSource clock,
            Consumer<HandlerFailure> onHandlerFailure) {
        this.messenger = messenger;
        this.codec = codec;
        this.clock = clock;
        this.onHandlerFailure = onHandlerFailure;
    }

    long failed() {
        return failed.sum();
    }

    long duplicates() {
        return duplicates.sum();
    }

    /**
     * Runs on {@code inbox}'s thread: finds or decodes the envelope, drops duplicates and expired ones, calls
     * the handler. Throws nothing: whatever fails becomes a dead letter, and the entry is acknowledged after
     * it like any handled one (a message that does not decode never will).
     */
    void handle(RedisInbox inbox, MessageHandler handler, RedisInbox.Received entry) {
        Envelope message = messenger.sender().takeReference(entry.ref());
        if (message == null) {
            message = decode(inbox, entry);
            if (message == null) {
                return;
            }
        }
        if (!inbox.firstSighting(message.id())) {
            duplicates.increment();
            return;
        }
        if (message.deadline() != null && message.deadline().isBefore(clock.instant())) {
            deadLetter(
                    message,
                    null,
                    inbox.id(),
                    DeadLetter.Reason.EXPIRED,
                    "its deadline " + message.deadline() + " passed before it was handled",
                    SendOutcome.EXPIRED);
            return;
        }
        try {
            handler.onMessage(message);
            messenger.delivered.increment();
        } catch (Throwable error) {
            handlerFailed(inbox.id(), message, error);
        }
    }

    /** The decoded envelope, or null after recording a MALFORMED dead letter (and failing the request it was). */
    private Envelope decode(RedisInbox inbox, RedisInbox.Received entry) {
        long start = System.nanoTime();
        String reason;
        try {
            return codec.decode(entry.bytes(), inbox.options().payloadType());
        } catch (MalformedMessageException | MessageTooLargeException e) {
            reason = e.getMessage();
        } catch (Throwable e) { // a codec breaking its contract (or an Error): the message, not the inbox, fails
            reason = "could not be decoded: " + describe(e);
        } finally {
            messenger.unmarshalTime.record(System.nanoTime() - start);
        }
        deadLetter(null, entry.bytes(), inbox.id(), DeadLetter.Reason.MALFORMED, reason, SendOutcome.REJECTED);
        Envelope generic = messenger.decodeQuietly(entry.bytes(), Object.class); // a request still gets its answer
        if (generic != null) {
            messenger.requests.undelivered(generic, DeadLetter.Reason.MALFORMED, reason);
        }
        return null;
    }

    /** Counts and reports a handler's failure, answers a request, and records the HANDLER_FAILED dead letter. */
    private void handlerFailed(AgentId agent, Envelope message, Throwable error) {
        failed.increment();
        try {
            if (message.correlationId() != null && message.replyTo() != null) {
                messenger.requests.replyFailure(message, error);
            }
            onHandlerFailure.accept(new HandlerFailure(agent, message, error));
        } catch (Throwable ignored) {
            // the listener is documented as never throwing; one that does must not stop the inbox
        }
        deadLetter(
                message,
                null,
                agent,
                DeadLetter.Reason.HANDLER_FAILED,
                "the handler of agent \"" + agent + "\" threw " + describe(error),
                SendOutcome.REJECTED);
    }

    /** Runs on {@code inbox}'s thread when handling {@code entry} failed outside the handler (the last resort). */
    void unhandled(RedisInbox inbox, RedisInbox.Received entry, Throwable error) {
        try {
            deadLetter(
                    null,
                    entry.bytes(),
                    inbox.id(),
                    DeadLetter.Reason.HANDLER_FAILED,
                    "handling failed outside the handler: " + describe(error),
                    SendOutcome.REJECTED);
        } catch (Throwable ignored) {
            // nothing is left to report it to; the inbox must go on
        }
    }

    /**
     * Runs on the reader's thread for claimed entries delivered more than {@code maxDeliveries} times: each
     * becomes a HANDLER_FAILED dead letter (its bytes only: decoding a poison pill is not risked here) and
     * all are acknowledged, so no node handles them again.
     */
    void overDelivered(RedisInbox inbox, List<RedisInbox.Received> entries, Map<String, Long> deliveries, int max) {
        List<String> ids = new ArrayList<>(entries.size());
        for (RedisInbox.Received entry : entries) {
            ids.add(entry.entryId());
            deadLetter(
                    null,
                    entry.bytes(),
                    inbox.id(),
                    DeadLetter.Reason.HANDLER_FAILED,
                    "delivered " + deliveries.get(entry.entryId()) + " times without being acknowledged (its"
                            + " handling crashed or hung each time); the limit is " + max + " deliveries",
                    SendOutcome.REJECTED);
        }
        overDelivered.add(entries.size());
        messenger.acknowledge(inbox.stream(), ids, ConcurrentHashMap.newKeySet());
    }

    long overDelivered() {
        return overDelivered.sum();
    }

    static String describe(Throwable error) {
        String text = error.getMessage();
        if (text == null) {
            return error.getClass().getName();
        }
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return error.getClass().getName() + ": " + (line.length() <= 240 ? line : line.substring(0, 240) + "...");
    }

    long streamLength(RedisInbox inbox) {
        try {
            return RedisMessenger.await(messenger.redis.xlen(inbox.stream()));
        } catch (RuntimeException e) {
            messenger.countFailure();
            throw new IllegalStateException("could not read the size of " + inbox + ": " + e.getMessage(), e);
        }
    }

    /** Runs after {@code inbox} closed: removes it from the directory and dead-letters what it did not handle. */
    void closed(RedisInbox inbox, Set<String> handled) {
        messenger.removed(inbox);
        List<Object> answer;
        try {
            answer = RedisMessenger.await(
                    RedisMessengerScripts.CLOSE.run(
                            messenger.redis,
                            new String[] {messenger.key("inboxes"), inbox.stream()},
                            bytes(inbox.id().value()),
                            bytes(messenger.nodeId())),
                    CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            messenger.countFailure(); // the inbox stays in the directory: its messages wait for a new owner
            return;
        } finally {
            messenger.sender().roomMade();
        }
        if (!status(answer).equals("OK")) {
            return;
        }
        for (Object item : (List<?>) answer.get(1)) {
            List<?> entry = (List<?>) item;
            String entryId = text(entry.get(0));
            if (handled.contains(entryId)) {
                continue;
            }
            List<?> fields = (List<?>) entry.get(1);
            byte[] encoded = new byte[0];
            String ref = "";
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String field = text(fields.get(i));
                if (field.equals("m")) {
                    encoded = (byte[]) fields.get(i + 1);
                } else if (field.equals("r")) {
                    ref = text(fields.get(i + 1));
                }
            }
            Envelope envelope = messenger.sender().takeReference(ref);
            if (envelope == null) {
                envelope = messenger.decodeQuietly(encoded, inbox.options().payloadType());
            }
            deadLetter(
                    envelope,
                    encoded,
                    inbox.id(),
                    DeadLetter.Reason.RECIPIENT_CLOSED,
                    "agent \"" + inbox.id() + "\" closed its inbox before handling it",
                    SendOutcome.REJECTED);
        }
    }

    private SendOutcome deadLetter(
            Envelope envelope,
            byte[] encoded,
            AgentId to,
            DeadLetter.Reason reason,
            String detail,
            SendOutcome outcome) {
        return messenger.deadLetter(envelope, encoded, to, reason, detail, outcome);
    }
}
