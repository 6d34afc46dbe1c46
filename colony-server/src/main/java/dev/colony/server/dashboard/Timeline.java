package dev.colony.server.dashboard;

import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import dev.colony.bus.Subscription;
import dev.colony.server.auth.AccessDenied;
import dev.colony.server.auth.Guard;
import dev.colony.state.Leadership;
import dev.colony.state.StateChange;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The leaders' term timeline: every election, resignation and expiry announced on the bus, and every fenced
 * write the API refused as {@code STALE_TERM} (seen in the API's answers as they pass by, since the state does
 * not announce refusals). Keeps the newest {@value #CAPACITY} entries of each kind. Thread-safe.
 */
final class Timeline implements AutoCloseable {
    static final int CAPACITY = 500;
    private static final Pattern DETAIL = Pattern.compile("\"detail\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** A leader change: stored group, term, stored leader id, {@code elected|resigned|expired}. */
    record Change(Instant at, String group, long term, String leader, String change) {}

    /** A fenced write refused as stale: the account, request and the API's explanation. */
    record Refusal(Instant at, String account, String request, String detail) {}

    /** The wrapped handler's {@code handle}. */
    @FunctionalInterface
    interface Next {
        boolean handle(Request request, Response response, Callback callback) throws Exception;
    }

    private final ArrayDeque<Change> changes = new ArrayDeque<>();
    private final ArrayDeque<Refusal> refusals = new ArrayDeque<>();
    private static final Pattern TASK_WRITE = Pattern.compile("/v1/tasks/([^/]+)/[a-z]+");

    private final Subscription subscription;
    private final TaskHistory tasks;

    Timeline(EventBus bus, TaskHistory tasks) {
        this.tasks = tasks;
        this.subscription = bus.subscribe("colony.leader.*.*", this::onLeader);
    }

    private void onLeader(Event event) {
        if (event.payload() instanceof StateChange sc && sc.value() instanceof Leadership l) {
            add(
                    changes,
                    new Change(Instant.now(), l.group(), l.term(), l.leader().value(), sc.change()));
        }
    }

    /** Passes a request to the API, noting a write it refuses as {@code STALE_TERM}. */
    boolean tap(Request request, Response response, Callback callback, Guard guard, Next next) throws Exception {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return next.handle(request, response, callback);
        }
        Response watched = new Response.Wrapper(request, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback cb) {
                if (getStatus() == 409 && content != null && content.hasRemaining()) {
                    String body = StandardCharsets.UTF_8
                            .decode(content.asReadOnlyBuffer())
                            .toString();
                    if (body.contains("\"STALE_TERM\"")) {
                        refused(request, guard, body);
                    } else if (body.contains("\"STALE_LEASE\"")) {
                        refusedLease(request, guard, body);
                    }
                }
                super.write(last, content, cb);
            }
        };
        return next.handle(request, watched, callback);
    }

    private void refused(Request request, Guard guard, String body) {
        String account;
        try {
            account = guard.authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION))
                    .account();
        } catch (AccessDenied e) {
            return;
        }
        Matcher m = DETAIL.matcher(body);
        String detail = m.find() ? m.group(1).replace("\\\"", "\"") : "STALE_TERM";
        add(
                refusals,
                new Refusal(
                        Instant.now(),
                        account,
                        request.getMethod() + " " + request.getHttpURI().getPath(),
                        detail));
    }

    /** A task write refused as {@code STALE_LEASE}: noted in the task's history. */
    private void refusedLease(Request request, Guard guard, String body) {
        Matcher path = TASK_WRITE.matcher(request.getHttpURI().getPath());
        if (!path.matches()) {
            return;
        }
        try {
            String account = guard.authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION))
                    .account();
            Matcher m = DETAIL.matcher(body);
            String id = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
            tasks.refused(
                    account + "_" + id,
                    request.getMethod() + " " + request.getHttpURI().getPath(),
                    m.find() ? m.group(1).replace("\\\"", "\"") : "STALE_LEASE");
        } catch (AccessDenied | IllegalArgumentException e) {
            // not noted: the token was revoked meanwhile, or the path is not a task's
        }
    }

    private static <T> void add(ArrayDeque<T> ring, T entry) {
        synchronized (ring) {
            ring.addLast(entry);
            if (ring.size() > CAPACITY) {
                ring.removeFirst();
            }
        }
    }

    /** The account's leader changes, newest first. */
    List<Change> changes(Viewer viewer) {
        synchronized (changes) {
            return changes.reversed().stream()
                    .filter(c -> viewer.owns(c.group()))
                    .toList();
        }
    }

    /** The account's refused stale writes, newest first. */
    List<Refusal> refusals(Viewer viewer) {
        synchronized (refusals) {
            return refusals.reversed().stream()
                    .filter(r -> r.account().equals(viewer.principal().account()))
                    .toList();
        }
    }

    @Override
    public void close() {
        subscription.close();
    }
}
