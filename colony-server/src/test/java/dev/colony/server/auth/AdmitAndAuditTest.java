package dev.colony.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.colony.bus.Event;
import dev.colony.bus.EventBus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate limits ({@link Guard#admit}), audit events ({@link Guard#audit}) and what the guard logs. */
class AdmitAndAuditTest {
    @TempDir
    Path dir;

    private final FakeTime time = new FakeTime();
    private final EventBus bus = EventBus.create();

    @AfterEach
    void closeBus() {
        bus.close();
    }

    private Guard guard(RateLimit limit) {
        return Guard.builder(dir, bus)
                .clock(time)
                .nanoTime(time::nanoTime)
                .rateLimit(limit)
                .build();
    }

    @Test
    void admit_burstFromManyThreadsAtOneInstant_admitsExactlyTheBurst() throws Exception {
        Guard guard = guard(new RateLimit(10, 50));
        Principal p = new Principal("acme", "w1", false);
        int threads = 8;
        int perThread = 40;
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        try {
                            guard.admit(p);
                            admitted.incrementAndGet();
                        } catch (AccessDenied e) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(admitted.get()).isEqualTo(50);
        assertThat(refused.get()).isEqualTo(threads * perThread - 50);
    }

    @Test
    void admit_afterTheBucketEmpties_refillsAtTheRateAndSaysWhenToRetry() throws Exception {
        Guard guard = guard(new RateLimit(10, 3));
        Principal p = new Principal("acme", "w1", false);
        for (int i = 0; i < 3; i++) {
            guard.admit(p);
        }

        AccessDenied e = catchThrowableOfType(AccessDenied.class, () -> guard.admit(p));
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.code()).isEqualTo("RATE_LIMITED");
        assertThat(e.retryAfter()).contains(Duration.ofMillis(100));
        assertThat(e.getMessage()).contains("\"w1\"").contains("10.0 requests/s (burst 3)");

        time.advance(Duration.ofMillis(250));
        guard.admit(p);
        guard.admit(p);
        assertThat(catchThrowableOfType(AccessDenied.class, () -> guard.admit(p))
                        .retryAfter())
                .contains(Duration.ofMillis(50));
    }

    @Test
    void admit_principalsHaveTheirOwnBuckets() throws Exception {
        Guard guard = guard(new RateLimit(1, 1));
        guard.admit(new Principal("acme", "w1", false));
        guard.admit(new Principal("acme", "w2", false));
        guard.admit(new Principal("other", "w1", false));

        assertThatThrownBy(() -> guard.admit(new Principal("acme", "w1", false)))
                .isInstanceOf(AccessDenied.class);
    }

    @Test
    void admit_unlimited_admitsEverything() throws Exception {
        Guard guard = guard(RateLimit.UNLIMITED);
        Principal p = new Principal("acme", "w1", false);
        for (int i = 0; i < 10_000; i++) {
            guard.admit(p);
        }
    }

    @Test
    void rateLimit_badValues_areRefusedQuotingThem() {
        assertThatThrownBy(() -> new RateLimit(0, 1))
                .hasMessageContaining("perSecond")
                .hasMessageContaining("got 0.0");
        assertThatThrownBy(() -> new RateLimit(Double.NaN, 1)).hasMessageContaining("got NaN");
        assertThatThrownBy(() -> new RateLimit(10, 0)).hasMessageContaining("burst must be at least 1, got 0");
        assertThatThrownBy(() -> Guard.builder(dir, bus).reloadInterval(Duration.ofSeconds(-1)))
                .hasMessageContaining("reloadInterval")
                .hasMessageContaining("PT-1S");
    }

    @Test
    void audit_change_publishesOnTheAccountAndPrincipalSubject() {
        Guard guard = guard(RateLimit.DEFAULT);
        List<Event> events = new CopyOnWriteArrayList<>();
        bus.subscribe("colony.audit.>", events::add);

        guard.audit(new Principal("acme", "w1", false), "task.submit", "render-42");

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.subject().value()).isEqualTo("colony.audit.acme.w1");
            assertThat(event.payload())
                    .isEqualTo(new AuditEvent("acme", "w1", "task.submit", "render-42", time.instant()));
        });
    }

    @Test
    void open_firstStart_logsThePathOfTheAdminTokenButNeverItsValue() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger("dev.colony.server.auth");
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(new java.util.logging.SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            Guard.open(dir, bus);
            Guard.open(dir, bus);
        } finally {
            logger.removeHandler(handler);
        }
        String secret = Files.readString(dir.resolve("initial-admin-token")).strip();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .contains(dir.resolve("initial-admin-token").toString())
                .doesNotContain(secret);
        assertThat(lines.get(1)).contains("still holds the first admin token's value");
        assertThat(String.join("\n", lines)).doesNotContain(secret.substring(24));
    }

    @Test
    void create_tokenWithLifetimeAndAgent_roundTripsThroughTheGuard() throws Exception {
        Guard guard = guard(RateLimit.DEFAULT);
        IssuedToken t = TokenStore.of(dir, time)
                .create(new TokenSpec(
                        "w1", "acme", false, List.of(), List.of(), Optional.of("w1"), Optional.of(Duration.ofDays(1))));
        time.advance(Duration.ofSeconds(1));

        Principal p = guard.authenticate("Bearer " + t.secret());
        guard.authorize(p, Action.AGENT, "w1");
    }
}
