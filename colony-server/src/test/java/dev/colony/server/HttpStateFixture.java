package dev.colony.server;

import dev.colony.Colony;
import dev.colony.bus.EventBus;
import dev.colony.bus.SubjectPattern;
import dev.colony.bus.SubscribeOptions;
import dev.colony.messaging.AgentId;
import dev.colony.state.AgentRecord;
import dev.colony.state.CoordinationState;
import dev.colony.state.Leadership;
import dev.colony.state.ManualClock;
import dev.colony.state.MemoryEntry;
import dev.colony.state.StateChange;
import dev.colony.state.StateFixture;
import dev.colony.state.StateOptions;
import dev.colony.state.Task;
import dev.colony.state.TaskSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;

/**
 * The state contracts' fixture with a server in between: each state is a colony (from {@link #colony()})
 * behind a {@link ColonyServer} on a free port, and the contract talks to it through {@link HttpState} as
 * the admin of account {@code acme}, with an HTTP client of that state's own (closed before its server, ADR 0057).
 * Announcements are the colony's, on its bus.
 */
abstract class HttpStateFixture implements StateFixture {
    /** The stored-name prefix of the admin token's account. */
    static final String ACCOUNT = "acme_";

    private final List<AutoCloseable> resources = new ArrayList<>();
    private ManualClock clock;
    private URI uri;
    private Http admin;
    private Colony colony;

    /** Settings of a fresh colony for one state (embedded, or a fresh swarm on Redis). */
    abstract Colony.Builder colony();

    @Override
    public final CoordinationState state(StateOptions options) {
        colony = colony().state(options).build();
        resources.add(0, colony);
        ColonyServer server = ColonyServer.builder()
                .port(0)
                .colony(colony)
                .guard(new TestGuard())
                .build()
                .start();
        resources.add(0, server);
        HttpClient client = Http.newClient();
        resources.add(0, () -> Http.close(client));
        uri = server.uri();
        admin = new Http(client, server.uri(), "admin");
        return new HttpState(admin, colony.state());
    }

    @Override
    public final CoordinationState state() {
        clock = new ManualClock();
        return state(StateOptions.defaults().withClock(clock).withSweepInterval(Duration.ZERO));
    }

    /** The address of the last state's server. */
    final URI uri() {
        return uri;
    }

    /** A client of the last state's server with the admin token of account {@code acme}. */
    final Http admin() {
        return admin;
    }

    @Override
    public final ManualClock clock() {
        return clock;
    }

    @Override
    public final EventBus bus() {
        return colony.bus();
    }

    /**
     * The announcements under {@code pattern} as a client of account {@code acme} names things: the server
     * stores every name as {@code acme_<name>} (ADR 0030) and strips the prefix in every answer, so the
     * pattern gets the prefix on its group or namespace token and each value loses it.
     */
    @Override
    public List<StateChange> announcements(String pattern) {
        List<StateChange> seen = new CopyOnWriteArrayList<>();
        bus().subscribe(
                        SubjectPattern.of(stored(pattern)),
                        e -> {
                            StateChange change = (StateChange) e.payload();
                            seen.add(new StateChange(change.revision(), change.change(), local(change.value())));
                        },
                        SubscribeOptions.direct());
        return seen;
    }

    private static String stored(String pattern) {
        String[] tokens = pattern.split("\\.");
        if (tokens.length > 2 && !tokens[2].equals("*") && !tokens[2].equals(">")) {
            tokens[2] = ACCOUNT + tokens[2];
        }
        return String.join(".", tokens);
    }

    private static Object local(Object value) {
        return switch (value) {
            case Leadership l ->
                new Leadership(strip(l.group()), AgentId.of(strip(l.leader().value())), l.term(), l.expiresAt());
            case MemoryEntry e ->
                new MemoryEntry(
                        strip(e.namespace()),
                        e.key(),
                        HttpMemory.bytes(Json.fromStored(e.value())),
                        e.version(),
                        e.expiresAt());
            case AgentRecord r ->
                new AgentRecord(
                        AgentId.of(strip(r.id().value())),
                        strip(r.role()),
                        capabilities(r.capabilities()),
                        r.metadata(),
                        r.status(),
                        r.registeredAt(),
                        r.lastHeartbeat());
            case Task t ->
                new Task(
                        new TaskSpec(
                                strip(t.id()),
                                strip(t.spec().type()),
                                HttpMemory.bytes(Json.fromStored(t.spec().payload())),
                                t.spec().priority(),
                                capabilities(t.spec().requiredCapabilities()),
                                t.spec().maxAttempts()),
                        t.status(),
                        t.attempts(),
                        t.holder() == null ? null : AgentId.of(strip(t.holder().value())),
                        t.leaseToken(),
                        t.leaseExpiresAt(),
                        t.notBefore(),
                        t.result() == null ? null : HttpMemory.bytes(Json.fromStored(t.result())),
                        t.lastError(),
                        t.submittedAt());
            default -> value;
        };
    }

    /** Capabilities in the client's names, without the hidden task-type marks of {@link TaskRoutes}. */
    private static Set<String> capabilities(Set<String> stored) {
        return stored.stream()
                .map(HttpStateFixture::strip)
                .filter(c -> !TaskRoutes.isTypeMark(c))
                .collect(Collectors.toSet());
    }

    static String strip(String stored) {
        return stored.startsWith(ACCOUNT) ? stored.substring(ACCOUNT.length()) : stored;
    }

    /**
     * 32 threads race compare-and-set instead of 1,000, for the reason the Redis contract gives (ADR 0018):
     * each success invalidates what all the others read, and each read and CAS is a round trip (here an HTTP
     * request through the guard), so 1,000 threads make millions of requests. The assertions are unchanged.
     */
    @Override
    public int casContenders() {
        return 32;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        resources.clear();
    }
}
