package dev.colony.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.colony.Colony;
import dev.colony.bus.Subscription;
import dev.colony.messaging.AgentId;
import dev.colony.messaging.DeadLetter;
import dev.colony.messaging.Envelope;
import dev.colony.messaging.Inbox;
import dev.colony.messaging.SendOutcome;
import dev.colony.server.ColonyServer;
import dev.colony.state.AgentStatus;
import dev.colony.state.Lease;
import dev.colony.state.StateOptions;
import dev.colony.state.TaskSpec;
import dev.colony.state.TaskStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser (Debian chromium, headless, through chromedriver): every page loads with no
 * console error, the cards and tables follow the feed, a silent agent turns FAILED, a leader failover shows the
 * next term and the refused stale write, and admin actions need an admin token.
 */
class DashboardBrowserTest {
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Colony colony;
    static ColonyServer server;
    static DashGuard guard;
    static Browser browser;
    static String base;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(
                Browser.available(),
                "chromium and chromedriver are missing: run scripts/browser-env.sh (scripts/test does)");
        colony = Colony.builder()
                .state(StateOptions.defaults()
                        .withHeartbeatTimeout(HEARTBEAT_TIMEOUT)
                        .withSweepInterval(Duration.ofMillis(100)))
                .build();
        guard = new DashGuard();
        server = ColonyServer.builder()
                .colony(colony)
                .guard(guard)
                .port(0)
                .checkpointEvery(null)
                .build()
                .start();
        base = server.uri().toString();
        browser = new Browser();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        if (colony != null) {
            colony.close();
        }
    }

    @Test
    void everyPage_signedInAsAdmin_loadsWithoutConsoleErrors() {
        signIn("admin-token");
        colony.tasks().submit(TaskSpec.of("acme_shot-1", "acme_render", "{\"frame\":1}".getBytes()));
        colony.registry().register(AgentId.of("acme_painter-1"), "acme_worker", Set.of("acme_render"), Map.of());
        api("POST", "/v1/events/orders.eu.created", "{\"n\":1}");
        api("POST", "/v1/events/orders.us.created", "{\"n\":2}");
        Map<String, String> pages = Map.of(
                "overview", "/dash/",
                "agents", "/dash/agents",
                "tasks", "/dash/tasks",
                "task", "/dash/tasks/shot-1",
                "leaders", "/dash/leaders",
                "memory", "/dash/memory",
                "dead-letters", "/dash/dead-letters",
                "subjects", "/dash/subjects",
                "alerts", "/dash/alerts");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            browser.driver.get(base + page.getValue());
            assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isNotBlank();
            if (page.getKey().equals("overview")) {
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> !browser.driver
                                .findElements(By.cssSelector("#chart canvas"))
                                .isEmpty());
            }
            browser.screenshot(page.getKey());
            assertThat(browser.consoleErrors())
                    .as("console errors on " + page.getValue())
                    .isEmpty();
        }
    }

    @Test
    void overview_afterARestart_drawsTheEarlierMinutesWithAGap(@TempDir Path dir) {
        Path file = dir.resolve("dashboard-series");
        long now = System.currentTimeMillis() / 1000;
        try (SeriesFile history = SeriesFile.open(file, now)) {
            for (long s = now - 300; s < now - 240; s++) { // a minute of traffic, four minutes ago
                history.write(new Figures.Point(s, 40 + s % 7, 20 + s % 3, 5));
            }
        }
        try (Colony other = Colony.embedded();
                ColonyServer restarted = ColonyServer.builder()
                        .colony(other)
                        .guard(guard)
                        .port(0)
                        .checkpointEvery(null)
                        .dashboardHistory(file)
                        .build()
                        .start()) {
            String otherBase = restarted.uri().toString();
            browser.driver.manage().deleteAllCookies();
            browser.driver.get(otherBase + "/dash/login");
            browser.driver.findElement(By.id("token")).sendKeys("viewer-token");
            browser.driver.findElement(By.id("sign-in")).click();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> browser.driver.getCurrentUrl().endsWith("/dash/"));
            // the 60 earlier points, then a row of nulls for the downtime, then the new samples
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                WebElement chart = browser.driver.findElement(By.id("chart"));
                return chart.getDomAttribute("data-first").equals(Long.toString(now - 300))
                        && Integer.parseInt(chart.getDomAttribute("data-rows")) >= 62;
            });
            assertThat(browser.driver.findElements(By.cssSelector("#chart canvas")))
                    .isNotEmpty();
            browser.screenshot("overview-after-restart");
            assertThat(browser.consoleErrors()).isEmpty();
        } finally {
            browser.driver.manage().deleteAllCookies();
        }
    }

    @Test
    void memoryPage_entriesOfTwoAccounts_showsOnlyTheViewersWithVersionsTtlsAndEscapedPreviews() {
        signIn("admin-token");
        colony.memory().put("acme_cfg", "owner", "a1".getBytes(StandardCharsets.UTF_8));
        colony.memory().put("acme_cfg", "owner", "a2".getBytes(StandardCharsets.UTF_8));
        colony.memory()
                .put(
                        "acme_cfg",
                        "motd",
                        "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8),
                        Duration.ofHours(1));
        colony.memory().put("acme_cfg", "big", "x".repeat(5000).getBytes(StandardCharsets.UTF_8));
        colony.memory().put("other_cfg", "secret", "not yours".getBytes(StandardCharsets.UTF_8));

        browser.driver.get(base + "/dash/memory");
        assertThat(textOf("tr[data-namespace='cfg'] td.keys")).isEqualTo("3");
        assertThat(browser.driver.getPageSource()).doesNotContain("other_cfg").doesNotContain("not yours");
        browser.screenshot("memory");
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
            browser.driver.findElement(By.linkText("cfg")).click(); // the feed may swap the table in between
            return true;
        });
        await().atMost(Duration.ofSeconds(15))
                .until(() -> browser.driver.getCurrentUrl().endsWith("/dash/memory?ns=cfg"));
        assertThat(textOf("tr[data-key='owner'] td.version")).isEqualTo("2");
        assertThat(textOf("tr[data-key='owner'] td.expires")).isEqualTo("never");
        assertThat(textOf("tr[data-key='motd'] td.expires .countdown")).matches("3[56][0-9]{2} s");
        assertThat(textOf("tr[data-key='motd'] code.preview"))
                .isEqualTo("<script>alert(1)</script>"); // shown as text: escaped, not run
        assertThat(textOf("tr[data-key='big'] code.preview"))
                .isEqualTo("x".repeat(MemoryPage.PREVIEW_CHARS) + "… (5000 bytes)");
        browser.screenshot("memory-namespace");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void replay_deadLetter_deliveredOnceAuditedAndTruncatedOneRefused() throws Exception {
        Envelope lost = Envelope.of(AgentId.of("acme_sender"), AgentId.of("acme_late"), "greeting", "hello");
        assertThat(colony.messenger().send(lost)).isEqualTo(SendOutcome.NO_SUCH_AGENT);
        colony.messenger().deliverEncoded(AgentId.of("acme_nobody"), new byte[DeadLetter.KEPT_BYTES + 1000]);
        signIn("admin-token");
        browser.driver.get(base + "/dash/dead-letters");
        String truncated = await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(
                        () -> browser.driver
                                .findElement(By.cssSelector("tr[data-to='nobody']"))
                                .getAttribute("data-letter"),
                        key -> key != null);
        assertThat(textOf("tr[data-to='nobody'] td.replay"))
                .isEqualTo("not replayable: only the first 4096 of its 5096 bytes were kept (dead letters keep 4096)");
        browser.screenshot("dead-letters-replay");

        try (Inbox inbox = colony.messenger().open(AgentId.of("acme_late"))) {
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
                browser.driver
                        .findElement(By.cssSelector("tr[data-to='late'] button.act-replay"))
                        .click(); // the feed may swap the table in between
                return true;
            });
            assertThat(message()).startsWith("replayed \"").endsWith("\" to \"late\": DELIVERED");
            assertThat(inbox.size()).isEqualTo(1);
            String key = browser.driver.findElement(By.id("message")).getText().split("\"")[1];
            assertThat(guard.audits).contains("acme.admin dashboard.replay " + key);

            HttpResponse<String> again = postAction("replay", "letter=" + key);
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(again.body()).contains("was replayed already");
            HttpResponse<String> cut = postAction("replay", "letter=" + truncated);
            assertThat(cut.statusCode()).isEqualTo(409);
            assertThat(cut.body()).contains("only the first 4096 of its 5096 bytes were kept");
            assertThat(inbox.size()).isEqualTo(1);
            browser.driver.get(base + "/dash/dead-letters");
            assertThat(textOf("tr[data-letter='" + key + "'] td.replay")).isEqualTo("replayed");
        }
        assertThat(guard.audits.stream().filter(a -> a.contains("dashboard.replay")))
                .hasSize(1);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void subjectsPage_eventsPublished_showsTheTreeWithCountsAndSubscribers() {
        signIn("admin-token");
        Subscription wildcard = colony.bus().subscribe("acct.acme.billing.>", e -> {});
        Subscription exact = colony.bus().subscribe("acct.acme.billing.invoice.sent", e -> {});
        try {
            api("POST", "/v1/events/billing.invoice.sent", "{}");
            api("POST", "/v1/events/billing.invoice.sent", "{}");
            api("POST", "/v1/events/billing.refund.done", "{}");
            browser.driver.get(base + "/dash/subjects");
            await().atMost(Duration.ofSeconds(15))
                    .ignoreException(StaleElementReferenceException.class)
                    .until(() ->
                            browser
                                    .driver
                                    .findElements(By.cssSelector("tr[data-subject='billing.invoice.sent'] td"))
                                    .stream()
                                    .map(WebElement::getText)
                                    .toList()
                                    .contains("2"));
            assertThat(textOf("tr[data-subject='billing.invoice.sent'] td.subscribers"))
                    .isEqualTo("2");
            assertThat(textOf("tr[data-subject='billing.refund.done'] td.subscribers"))
                    .isEqualTo("1"); // the wildcard only
            browser.screenshot("subjects-subscribers");
        } finally {
            wildcard.close();
            exact.close();
        }
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void agentsPage_messagesWaiting_showsTheInboxDepth() {
        signIn("admin-token");
        colony.registry().register(AgentId.of("acme_busy"), "acme_worker", Set.of(), Map.of());
        colony.registry().register(AgentId.of("acme_mute"), "acme_worker", Set.of(), Map.of());
        try (Inbox inbox = colony.messenger().open(AgentId.of("acme_busy"))) {
            for (int i = 0; i < 3; i++) {
                colony.messenger().send(Envelope.of(AgentId.of("acme_boss"), AgentId.of("acme_busy"), "job", i));
            }
            browser.driver.get(base + "/dash/agents");
            assertThat(inbox.size()).isEqualTo(3);
            assertThat(textOf("tr[data-agent='busy'] td.inbox")).isEqualTo("3");
            assertThat(textOf("tr[data-agent='mute'] td.inbox")).isEqualTo("—");
            browser.screenshot("agents-inbox");
        }
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void submitAndDrain_adminForms_changeTheStateAndAreAudited() {
        signIn("admin-token");
        browser.driver.get(base + "/dash/tasks");
        browser.driver
                .findElement(By.cssSelector("form.submit input[name='id']"))
                .sendKeys("by-hand");
        browser.driver
                .findElement(By.cssSelector("form.submit input[name='type']"))
                .sendKeys("render");
        browser.driver.findElement(By.cssSelector("button.act-submit")).click();
        assertThat(message()).isEqualTo("submitted \"by-hand\" of type \"render\"");
        assertThat(colony.tasks().get("acme_by-hand").orElseThrow().spec().type())
                .isEqualTo("acme_render");

        colony.registry().register(AgentId.of("acme_drained"), "acme_worker", Set.of(), Map.of());
        browser.driver.get(base + "/dash/agents");
        await().atMost(Duration.ofSeconds(15))
                .ignoreException(StaleElementReferenceException.class) // the feed may swap the table in between
                .until(() -> {
                    browser.driver
                            .findElement(By.cssSelector("tr[data-agent='drained'] button.act-drain"))
                            .click();
                    return true;
                });
        assertThat(message()).contains("draining \"drained\"");
        assertThat(colony.registry()
                        .get(AgentId.of("acme_drained"))
                        .orElseThrow()
                        .status())
                .isEqualTo(AgentStatus.STOPPING);
        assertThat(guard.audits).contains("acme.admin dashboard.submit by-hand", "acme.admin dashboard.drain drained");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void overviewCards_taskSubmitted_updateFromTheFeed() {
        signIn("admin-token");
        browser.driver.get(base + "/dash/");
        int before = Integer.parseInt(textOf("#tasks-queued .value").strip()); // the feed swaps the cards
        colony.tasks().submit(TaskSpec.of("acme_live-1", "acme_render", new byte[0]));
        colony.tasks().submit(TaskSpec.of("acme_live-2", "acme_render", new byte[0]));
        await().atMost(Duration.ofSeconds(15))
                .ignoreException(StaleElementReferenceException.class) // htmx swapped the cards in between
                .until(() -> cardValue("tasks-queued") == before + 2);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void agent_heartbeatsStop_turnsFailedOnTheAgentsPage() throws Exception {
        signIn("admin-token");
        AgentId id = AgentId.of("acme_doomed");
        colony.registry().register(id, "acme_worker", Set.of(), Map.of());
        AtomicBoolean alive = new AtomicBoolean(true);
        Thread heart = Thread.ofVirtual().start(() -> {
            while (alive.get()) {
                colony.registry().heartbeat(id);
                try {
                    Thread.sleep(200); // the agent's heartbeat period
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        browser.driver.get(base + "/dash/agents");
        await().atMost(Duration.ofSeconds(15))
                .ignoreException(StaleElementReferenceException.class)
                .until(() -> agentStatus("doomed").equals("IDLE")
                        || agentStatus("doomed").equals("STARTING"));
        long killed = System.nanoTime();
        alive.set(false); // the agent is killed: no more heartbeats
        heart.join();
        await().atMost(Duration.ofSeconds(30))
                .ignoreException(StaleElementReferenceException.class)
                .until(() -> agentStatus("doomed").equals("FAILED"));
        System.out.printf(
                "[dashboard] agent shown FAILED %d ms after its last heartbeat (timeout %d ms)%n",
                (System.nanoTime() - killed) / 1_000_000, HEARTBEAT_TIMEOUT.toMillis());
        browser.screenshot("agents-failed");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void leaderFailover_staleWrite_showsNextTermAndTheRefusal() {
        signIn("admin-token");
        long term = api("POST", "/v1/leaders/scheduler/campaign", "{\"agent\":\"a1\",\"lease\":\"500ms\"}")
                .body()
                .replaceAll(".*\"term\":(\\d+).*", "$1")
                .transform(Long::parseLong);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> api("POST", "/v1/leaders/scheduler/campaign", "{\"agent\":\"a2\",\"lease\":\"30s\"}")
                                .statusCode()
                        == 200);
        HttpResponse<String> stale = api(
                "PUT",
                "/v1/memory/cfg/owner",
                "{\"value\":\"a1\",\"fence\":{\"group\":\"scheduler\",\"term\":" + term + "}}");
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("STALE_TERM");

        browser.driver.get(base + "/dash/leaders");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> !browser.driver
                        .findElements(By.cssSelector("tr[data-group='scheduler'][data-term='" + (term + 1) + "']"))
                        .isEmpty());
        List<WebElement> refusals = browser.driver.findElements(By.cssSelector("tr.refusal"));
        assertThat(refusals).hasSize(1);
        assertThat(refusals.getFirst().getText())
                .contains("/v1/memory/cfg/owner")
                .contains("term " + term);
        browser.screenshot("leaders-failover");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void requeue_viewerThenAdmin_refusedThenRequeuedAndAudited() throws Exception {
        colony.tasks()
                .submit(TaskSpec.of("acme_poison", "acme_render", new byte[0]).withMaxAttempts(1));
        Lease lease = colony.tasks()
                .claim(AgentId.of("acme_w1"), Set.of("acme_render"), Duration.ofSeconds(30))
                .orElseThrow();
        while (!lease.taskId().equals("acme_poison")) { // other tests' tasks may come first: give them back
            colony.tasks().fail(lease, "not this one", true);
            lease = colony.tasks()
                    .claim(AgentId.of("acme_w1"), Set.of("acme_render"), Duration.ofSeconds(30))
                    .orElseThrow();
        }
        colony.tasks().fail(lease, "bad input: frame 7", false);
        assertThat(colony.tasks().get("acme_poison").orElseThrow().status()).isEqualTo(TaskStatus.DEAD);

        signIn("viewer-token");
        browser.driver.get(base + "/dash/tasks/poison");
        assertThat(browser.driver.findElement(By.id("task-error")).getText()).isEqualTo("bad input: frame 7");
        assertThat(browser.driver.findElements(By.cssSelector("button.act-requeue")))
                .isEmpty();
        Cookie session = browser.driver.manage().getCookieNamed(Dashboard.COOKIE);
        HttpResponse<String> refused = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/dash/actions/requeue"))
                        .header("Cookie", Dashboard.COOKIE + "=" + session.getValue())
                        .header("Origin", base)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("task=poison&back=/dash/tasks"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(colony.tasks().get("acme_poison-r1")).isEmpty();

        signIn("admin-token");
        browser.driver.get(base + "/dash/tasks/poison");
        browser.driver.findElement(By.cssSelector("button.act-requeue")).click();
        assertThat(message()).contains("requeued \"poison\" as \"poison-r1\"");
        assertThat(colony.tasks().get("acme_poison-r1").orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(guard.audits).contains("acme.admin dashboard.requeue poison");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void taskDetail_claimStaleWriteComplete_showsTheLeaseHistoryAndTheRefusal() {
        signIn("admin-token");
        assertThat(api("POST", "/v1/tasks", "{\"id\":\"hist-1\",\"type\":\"hist\",\"priority\":9,\"payload\":{}}")
                        .statusCode())
                .isEqualTo(201);
        String claimed = api("POST", "/v1/tasks/claim", "{\"agent\":\"w9\",\"types\":[\"hist\"],\"lease\":\"30s\"}")
                .body();
        long token = Long.parseLong(claimed.replaceAll("(?s).*\"token\":(\\d+).*", "$1"));
        HttpResponse<String> stale = api("POST", "/v1/tasks/hist-1/complete", "{\"token\":" + (token + 1000) + "}");
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("STALE_LEASE");
        HttpResponse<String> done = api("POST", "/v1/tasks/hist-1/complete", "{\"token\":" + token + "}");
        assertThat(done.statusCode())
                .as("claim %s, complete %s", claimed, done.body())
                .isEqualTo(200);

        browser.driver.get(base + "/dash/tasks/hist-1");
        assertThat(browser.driver.findElements(By.cssSelector("table.history tbody tr")).stream()
                        .map(row -> row.getAttribute("class"))
                        .toList())
                .containsExactly("change-submitted", "change-claimed", "change-refused", "change-completed");
        assertThat(textOf("table.history tr.change-refused")).contains("POST /v1/tasks/hist-1/complete");
        assertThat(textOf("table.history tr.change-claimed")).contains("w9").contains(Long.toString(token));
        browser.screenshot("task-history");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void everyDashboardAnswer_carriesTheCspAndRefusesForeignPosts() throws Exception {
        for (String path : List.of("/dash/login", "/dash/", "/dash/assets/dash.js", "/dash/tasks")) {
            HttpResponse<String> res = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(res.headers().firstValue("Content-Security-Policy"))
                    .as(path)
                    .hasValue(Dashboard.CSP);
            assertThat(res.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
        }
        HttpResponse<String> foreign = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/dash/login"))
                        .header("Origin", "https://evil.example")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=admin-token"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> noOrigin = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/dash/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=admin-token"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noOrigin.statusCode()).isEqualTo(403);
    }

    private static void signIn(String token) {
        browser.driver.manage().deleteAllCookies();
        browser.driver.get(base + "/dash/login");
        browser.driver.findElement(By.id("token")).sendKeys(token);
        browser.driver.findElement(By.id("sign-in")).click();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> browser.driver.getCurrentUrl().endsWith("/dash/"));
        browser.consoleErrors(); // drain what the sign-in page logged (nothing expected, checked per page)
    }

    /** The message of the page an action answered with, once the browser shows it. */
    private static String message() {
        return await().atMost(Duration.ofSeconds(15))
                .ignoreException(NoSuchElementException.class)
                .until(() -> browser.driver.findElement(By.id("message")).getText(), text -> !text.isBlank());
    }

    /** The text of the element {@code css} selects, once it is there (the feed may swap it meanwhile). */
    private static String textOf(String css) {
        return await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> browser.driver.findElement(By.cssSelector(css)).getText(), text -> true);
    }

    private static int cardValue(String id) {
        return Integer.parseInt(browser.driver
                .findElement(By.cssSelector("#" + id + " .value"))
                .getText()
                .strip());
    }

    private static String agentStatus(String agent) {
        List<WebElement> cells =
                browser.driver.findElements(By.cssSelector("tr[data-agent='" + agent + "'] td.status"));
        return cells.isEmpty() ? "" : cells.getFirst().getText().strip();
    }

    /** Posts an action with the browser's session, as a same-origin form would. */
    private static HttpResponse<String> postAction(String action, String form) throws Exception {
        Cookie session = browser.driver.manage().getCookieNamed(Dashboard.COOKIE);
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/dash/actions/" + action))
                        .header("Cookie", Dashboard.COOKIE + "=" + session.getValue())
                        .header("Origin", base)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form + "&back=/dash/dead-letters"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> api(String method, String path, String json) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .header("Authorization", "Bearer admin-token")
                            .header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
