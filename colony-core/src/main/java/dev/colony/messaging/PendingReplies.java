package dev.colony.messaging;

import dev.colony.metrics.LatencyRecorder;
import dev.colony.metrics.LatencySnapshot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The table of a messenger's requests waiting for their replies, the one every backend uses (embedded and
 * Redis): each request is registered under its correlation id with a timeout, and its future is completed
 * exactly once, by its reply, a failure reply, a dead letter, its timeout or the messenger's close. It also
 * holds the wire form of request/reply that every backend shares: the failure reply ({@value #FAILURE_TYPE},
 * header {@value #FAILURE_HEADER}) and how a reply envelope is made from its request.
 *
 * <p><b>Completing once.</b> Completion is claimed first (a compare-and-set on the waiting entry, once);
 * the winner removes the entry from the table and from the timeout wheel, runs the {@code onFinished} hook
 * (the Redis messenger deletes its request key there) and only then completes the future: whoever sees the
 * future done also sees that nothing of the request is left in the table.
 *
 * <p><b>Timer.</b> Timeouts run on one daemon platform thread, which sweeps a {@link TimeoutWheel} every
 * 5 ms tick: registering links the request into the wheel and a reply unlinks
 * it, each under one slot's uncontended lock, with no task, no allocation and no signal to the timer (ADR
 * 0073; one scheduled task per request cost a fifth of the requester's time). A timeout fails its request
 * no earlier than its deadline and less than two ticks after it. The sweep stops after a second without a
 * waiting request and the next request starts it again (one flag read per request while it runs), so an
 * idle messenger's timer thread does not wake. A backend may run its own periodic
 * housekeeping (a heartbeat) on the same thread with {@link #every}.
 *
 * <p><b>Thread safety.</b> Every method may be called from any thread.
 *
 * <p><b>Failures.</b> Bad arguments of {@link #register} and {@link #reply} throw
 * {@link IllegalArgumentException} or {@link NullPointerException} naming them, and register nothing. A
 * request registered while the messenger is closed, or once the timer has stopped, fails at once with
 * {@link ReplyFailure#CLOSED} and {@link Request#refused()} tells the messenger not to send it. The
 * {@code onFinished} hook is assumed never to throw; the futures are completed on the completing thread.
 */
public final class PendingReplies {
    /** The type of a reply that reports a failure instead of an answer. */
    public static final String FAILURE_TYPE = "colony.reply.failure";

    /** The header (CloudEvents extension) of a failure reply; its value names the failure. */
    public static final String FAILURE_HEADER = "replyfailure";

    /** The failure header's value when the recipient's handler threw. */
    public static final String RECIPIENT_FAILURE = "recipient_failure";

    /** The failure header's value when the recipient's node dead-lettered the request. */
    public static final String UNDELIVERED = "undelivered";

    /** How long the sweep runs on without a waiting request before it stops (a requester restarts it). */
    private static final long IDLE_STOP_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A timeout longer than this (73 years) waits as long as this: nanoTime differences stay exact. */
    private static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE / 4;

    private static final Instant LATEST_DEADLINE = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /**
     * A request just registered: the envelope to send (correlation id, reply-to and deadline set), the
     * future its reply completes, and whether it was refused (the future already failed; send nothing).
     */
    public record Request(Envelope envelope, CompletableFuture<Envelope> reply, boolean refused) {}

    /** A request waiting in the table, and its entry in the timeout wheel; opaque outside this package. */
    public static final class Waiting {
        private static final VarHandle CLAIMED;

        static {
            try {
                CLAIMED = MethodHandles.lookup().findVarHandle(Waiting.class, "claimed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final String correlationId;
        final String requestId;
        final AgentId replyTo;
        final Duration timeout;
        final long startNanos = System.nanoTime();
        final long deadlineNanos;
        final CompletableFuture<Envelope> future = new CompletableFuture<>();
        private volatile boolean claimed;

        // the wheel's links: slot is written under the slot's lock and read by remove() first (TimeoutWheel)
        volatile TimeoutWheel.Slot slot;
        Waiting prev; // guarded by slot
        Waiting next; // guarded by slot

        Waiting(String correlationId, String requestId, AgentId replyTo, Duration timeout) {
            this.correlationId = correlationId;
            this.requestId = requestId;
            this.replyTo = replyTo;
            this.timeout = timeout;
            this.deadlineNanos = startNanos + Math.min(saturatedNanos(timeout), MAX_TIMEOUT_NANOS);
        }

        private static long saturatedNanos(Duration timeout) {
            try {
                return timeout.toNanos();
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }

        boolean claim() {
            return CLAIMED.compareAndSet(this, false, true);
        }

        /** Whether the request was completed (or is being completed); volatile, pairs with {@link #claim}. */
        boolean isClaimed() {
            return claimed;
        }
    }

    private final ConcurrentHashMap<String, Waiting> pending = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final InstantSource clock;
    private final BooleanSupplier closed;
    private final Consumer<String> onFinished;
    private final LongAdder replied = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LatencyRecorder roundTrip = new LatencyRecorder();
    private final TimeoutWheel wheel = new TimeoutWheel(System.nanoTime());
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private long lastBusyNanos = System.nanoTime(); // written and read by the timer thread only

    /**
     * A table whose timer thread is named {@code timerName}; {@code closed} says whether the messenger is
     * closed (then a new request fails at once), {@code onFinished} runs with the correlation id of each
     * request completed, before its future is.
     */
    public PendingReplies(String timerName, InstantSource clock, BooleanSupplier closed, Consumer<String> onFinished) {
        Objects.requireNonNull(timerName, "timerName");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.closed = Objects.requireNonNull(closed, "closed");
        this.onFinished = Objects.requireNonNull(onFinished, "onFinished");
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, timerName);
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Starts the sweep if it is stopped; called after a request joined {@code pending}. Pairs with {@link
     * #sweepOnce}'s stop: each side writes (the table, the flag) before it reads the other's, so either this
     * call sees the sweep stopped and restarts it, or the stopping sweep sees the request and goes on.
     */
    private void ensureSweeping() {
        if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
            scheduleSweep();
        }
    }

    private void scheduleSweep() {
        try {
            timer.schedule(this::sweepOnce, TimeoutWheel.TICK_NANOS, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            sweeping.set(false); // closed: register() fails what it added, and close() fails the rest
        }
    }

    /**
     * One tick of the sweep: fails the requests whose timeout passed, then runs again a tick later while a
     * request waits or one waited within the last {@link #IDLE_STOP_NANOS}; else stops, so that an idle
     * messenger's timer thread sleeps instead of waking 200 times a second.
     */
    private void sweepOnce() {
        long now = System.nanoTime();
        wheel.sweep(now, this::expire);
        if (!pending.isEmpty()) {
            lastBusyNanos = now; // timer thread only
        } else if (now - lastBusyNanos >= IDLE_STOP_NANOS) {
            sweeping.set(false);
            if (pending.isEmpty() || !sweeping.compareAndSet(false, true)) {
                return; // stopped; or a requester restarted it meanwhile
            }
        }
        scheduleSweep();
    }

    /** Whether the timeout sweep is running (it stops after a second without waiting requests). */
    boolean sweeping() {
        return sweeping.get();
    }

    /** Fails a request whose timeout passed; never throws, so the sweep goes on (the hook is assumed not to). */
    private void expire(Waiting waiting) {
        try {
            fail(waiting, ReplyFailure.TIMEOUT, "no reply within " + waiting.timeout);
        } catch (RuntimeException e) {
            // onFinished broke its contract; the request is completed and the other timeouts must still fire
        }
    }

    /**
     * Registers {@code message} as a request waiting up to {@code timeout} for its reply: its correlation id
     * (its own id when it has none) must not belong to a request still waiting. The envelope returned carries
     * the correlation id, the sender as reply-to, and a deadline no later than the timeout's.
     */
    public Request register(Envelope message, Duration timeout) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(timeout, "timeout");
        if (message.recipient() == null) {
            throw new IllegalArgumentException("request \"" + message.id() + "\" has no recipient");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        String correlationId = message.correlationId() != null ? message.correlationId() : message.id();
        Instant deadline = deadline(timeout);
        Envelope request = new Envelope(
                message.id(),
                message.source(),
                message.recipient(),
                message.type(),
                correlationId,
                message.source(),
                message.time(),
                message.deadline() == null || message.deadline().isAfter(deadline) ? deadline : message.deadline(),
                message.priority(),
                message.headers(),
                message.payload());
        Waiting waiting = new Waiting(correlationId, request.id(), message.source(), timeout);
        if (pending.putIfAbsent(correlationId, waiting) != null) {
            throw new IllegalArgumentException(
                    "correlation id \"" + correlationId + "\" belongs to a request still waiting");
        }
        if (closed.getAsBoolean()) {
            fail(waiting, ReplyFailure.CLOSED, "the messenger is closed");
            return new Request(request, waiting.future, true);
        }
        wheel.add(waiting, this::expire);
        ensureSweeping();
        if (timer.isShutdown()) { // the timer stopped meanwhile: the messenger closed, and nothing would time it out
            fail(waiting, ReplyFailure.CLOSED, "the messenger is closed");
            return new Request(request, waiting.future, true);
        }
        return new Request(request, waiting.future, false);
    }

    private Instant deadline(Duration timeout) {
        Instant now = clock.instant();
        try {
            Instant deadline = now.plus(timeout);
            return deadline.isAfter(LATEST_DEADLINE) ? LATEST_DEADLINE : deadline;
        } catch (ArithmeticException | DateTimeException e) {
            return LATEST_DEADLINE;
        }
    }

    /** The request {@code reply} answers, if it waits here and was made by the reply's recipient; else null. */
    public Waiting waitingFor(Envelope reply) {
        Waiting waiting = reply.correlationId() == null ? null : pending.get(reply.correlationId());
        return waiting != null && waiting.replyTo.equals(reply.recipient()) ? waiting : null;
    }

    /**
     * Completes {@code waiting} with {@code reply}, or, when the reply is a failure reply, fails it with the
     * failure its header names. True for the one call that completed it.
     */
    public boolean complete(Waiting waiting, Envelope reply) {
        String failure = reply.headers().get(FAILURE_HEADER);
        if (failure == null) {
            return finish(waiting, reply, null);
        }
        ReplyFailure reason = switch (failure.toLowerCase(Locale.ROOT)) {
            case RECIPIENT_FAILURE -> ReplyFailure.RECIPIENT_FAILURE;
            case "no_recipient" -> ReplyFailure.NO_RECIPIENT;
            case "timeout" -> ReplyFailure.TIMEOUT;
            default -> ReplyFailure.UNDELIVERED;
        };
        return fail(waiting, reason, String.valueOf(reply.payload()));
    }

    /** Fails {@code waiting} with {@code failure}; true for the one call that completed it. */
    public boolean fail(Waiting waiting, ReplyFailure failure, String detail) {
        return finish(waiting, null, new ReplyException(failure, detail));
    }

    /**
     * {@code message} became a dead letter for {@code reason}: if it is a request waiting here, fails it with
     * the matching {@link ReplyFailure} and returns true.
     */
    public boolean undelivered(Envelope message, DeadLetter.Reason reason, String detail) {
        if (message.correlationId() == null) {
            return false;
        }
        Waiting waiting = pending.get(message.correlationId());
        if (waiting == null || !waiting.requestId.equals(message.id())) {
            return false;
        }
        fail(waiting, failureOf(reason), detail);
        return true;
    }

    private static ReplyFailure failureOf(DeadLetter.Reason reason) {
        return switch (reason) {
            case NO_SUCH_AGENT -> ReplyFailure.NO_RECIPIENT;
            case EXPIRED -> ReplyFailure.TIMEOUT;
            case HANDLER_FAILED -> ReplyFailure.RECIPIENT_FAILURE;
            case MAILBOX_FULL, EVICTED, TOO_LARGE, UNENCODABLE, MALFORMED, RECIPIENT_CLOSED, REJECTED ->
                ReplyFailure.UNDELIVERED;
        };
    }

    private boolean finish(Waiting waiting, Envelope reply, ReplyException failure) {
        if (!waiting.claim()) {
            return false;
        }
        pending.remove(waiting.correlationId, waiting);
        wheel.remove(waiting); // if add() has not linked it yet, add() sees the claim and unlinks it
        onFinished.accept(waiting.correlationId);
        if (reply != null) {
            roundTrip.record(System.nanoTime() - waiting.startNanos);
            replied.increment();
            waiting.future.complete(reply);
        } else {
            if (failure.failure() == ReplyFailure.TIMEOUT) {
                timedOut.increment();
            }
            waiting.future.completeExceptionally(failure);
        }
        return true;
    }

    /**
     * The reply to {@code request} from its recipient: to its reply-to agent (its source when it has none),
     * with its correlation id and priority.
     *
     * @throws IllegalArgumentException if {@code request} has no correlation id or was a broadcast
     */
    public static Envelope reply(Envelope request, String type, Object payload) {
        Objects.requireNonNull(request, "request");
        if (request.correlationId() == null) {
            throw new IllegalArgumentException("message \"" + request.id() + "\" has no correlation id to reply to");
        }
        if (request.recipient() == null) {
            throw new IllegalArgumentException(
                    "message \"" + request.id() + "\" was a broadcast; it has no single recipient to reply from");
        }
        AgentId to = request.replyTo() != null ? request.replyTo() : request.source();
        return reply(request, to, type, payload, Map.of());
    }

    /**
     * The failure reply to {@code request} (which has a reply-to agent): {@code kind} is
     * {@link #RECIPIENT_FAILURE} or {@link #UNDELIVERED}, {@code detail} its payload.
     */
    public static Envelope failureReply(Envelope request, String kind, String detail) {
        return reply(request, request.replyTo(), FAILURE_TYPE, detail, Map.of(FAILURE_HEADER, kind));
    }

    /** The detail a recipient failure reply carries for {@code error}: its message, or its class name. */
    public static String failureDetail(Throwable error) {
        return error.getMessage() != null
                ? error.getMessage()
                : error.getClass().getName();
    }

    /** Whether {@code reply} only reports that its request was not delivered (dropped when late). */
    public static boolean reportsUndelivered(Envelope reply) {
        return UNDELIVERED.equals(reply.headers().get(FAILURE_HEADER));
    }

    private static Envelope reply(
            Envelope request, AgentId to, String type, Object payload, Map<String, String> headers) {
        return new Envelope(
                Envelope.newId(),
                request.recipient(),
                to,
                type,
                request.correlationId(),
                null,
                Instant.now(),
                null,
                request.priority(),
                headers,
                payload);
    }

    /**
     * Runs {@code task} every {@code period} on the timer thread until {@link #close()}; the task must not
     * block, and one that throws is not run again.
     */
    public void every(Duration period, Runnable task) {
        long millis = Math.max(1, period.toMillis());
        timer.scheduleAtFixedRate(task, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Replies handed to their requests. */
    public long replied() {
        return replied.sum();
    }

    /** Requests failed with {@link ReplyFailure#TIMEOUT}. */
    public long timedOut() {
        return timedOut.sum();
    }

    /** Requests waiting now. */
    public int waiting() {
        return pending.size();
    }

    /** The round-trip times of replied requests. */
    public LatencySnapshot roundTrip() {
        return roundTrip.snapshot();
    }

    /** Requests in the timeout wheel now (0 when no request waits: a leak shows here). */
    public int scheduledTimeouts() {
        return wheel.size();
    }

    /** Fails every request waiting now with {@link ReplyFailure#CLOSED}; the messenger is closed by then. */
    public void failAll() {
        for (Waiting waiting : new ArrayList<>(pending.values())) {
            fail(waiting, ReplyFailure.CLOSED, "the messenger closed");
        }
    }

    /** Fails every waiting request ({@link #failAll()}) and stops the timer thread. Idempotent. */
    public void close() {
        failAll();
        timer.shutdownNow();
    }
}
