package dev.colony.redis;

import static dev.colony.redis.RedisMessengerScripts.bytes;
import static dev.colony.redis.RedisMessengerScripts.status;
import static dev.colony.redis.RedisMessengerScripts.text;

import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.HandlerSupervisor;
import dev.colony.messaging.MessageCodec;
import dev.colony.messaging.MessageHandler;
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
 * thread (the sender's envelope by reference or a decoded copy, duplicates skipped, the rest supervised by
 * the {@link HandlerSupervisor} every messenger uses), an inbox's size, and what is left in a stream
 * when its inbox closes.
 */
final class RedisInboxDelivery implements HandlerSupervisor.Sink {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);

    private final RedisMessenger messenger;
    private final HandlerSupervisor supervisor;
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder overDelivered = new LongAdder();

    RedisInboxDelivery(
            RedisMessenger messenger,
            MessageCodec codec,
            InstantSource clock,
            Consumer<HandlerFailure> onHandlerFailure) {
        this.messenger = messenger;
        this.supervisor = new HandlerSupervisor(codec, clock, onHandlerFailure, messenger.unmarshalTime, this);
    }

    long handled() {
        return supervisor.handled();
    }

    long failed() {
        return supervisor.failed();
    }

    long duplicates() {
        return duplicates.sum();
    }

    /**
     * Runs on {@code inbox}'s thread: finds or decodes the envelope, drops duplicates, then lets the
     * supervisor drop an expired message or call the handler. Throws nothing: whatever fails becomes a dead
     * letter, and the entry is acknowledged after it like any handled one (a message that does not decode
     * never will).
     */
    void handle(RedisInbox inbox, MessageHandler handler, RedisInbox.Received entry) {
        Envelope message = messenger.sender().takeReference(entry.ref());
        if (message == null) {
            message = supervisor.decode(
                    entry.bytes(), null, inbox.id(), inbox.options().payloadType());
            if (message == null) {
                return;
            }
        }
        if (!inbox.firstSighting(message.id())) {
            duplicates.increment();
            return;
        }
        supervisor.handle(inbox.id(), handler, message);
    }

    /** Runs on {@code inbox}'s thread when handling {@code entry} failed outside the handler (the last resort). */
    void unhandled(RedisInbox inbox, RedisInbox.Received entry, Throwable error) {
        supervisor.unhandled(inbox.id(), null, entry.bytes(), error);
    }

    @Override
    public void deadLetter(Envelope envelope, byte[] bytes, AgentId to, DeadLetter.Reason reason, String detail) {
        messenger.deadLetter(envelope, bytes, to, reason, detail, SendOutcome.REJECTED);
    }

    @Override
    public void replyFailure(Envelope request, Throwable error) {
        messenger.requests.replyFailure(request, error);
    }

    /** A request that does not decode for its inbox still gets its answer, if it decodes generically. */
    @Override
    public void undecodable(byte[] bytes, String detail) {
        Envelope generic = messenger.decodeQuietly(bytes, Object.class);
        if (generic != null) {
            messenger.requests.undelivered(generic, DeadLetter.Reason.MALFORMED, detail);
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
                            + " handling crashed or hung each time); the limit is " + max + " deliveries");
        }
        overDelivered.add(entries.size());
        messenger.reader().acknowledge(inbox.stream(), ids, ConcurrentHashMap.newKeySet());
    }

    long overDelivered() {
        return overDelivered.sum();
    }

    long streamLength(RedisInbox inbox) {
        try {
            return RedisMessengerScripts.await(messenger.redis.xlen(inbox.stream()));
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
            answer = RedisMessengerScripts.await(
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
                    "agent \"" + inbox.id() + "\" closed its inbox before handling it");
        }
    }
}
