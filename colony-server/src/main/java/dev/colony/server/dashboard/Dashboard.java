package dev.colony.server.dashboard;

import dev.colony.Colony;
import dev.colony.alert.Alerts;
import dev.colony.bus.Subject;
import dev.colony.messaging.AgentId;
import dev.colony.server.auth.AccessDenied;
import dev.colony.server.auth.Guard;
import dev.colony.server.auth.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The live dashboard of {@code colony serve} under {@code /dash/}: server-rendered pages kept live by one SSE
 * stream, signed into with a token (ADR 0048). Every other path goes to the wrapped API handler.
 *
 * <p>Every dashboard response carries a Content-Security-Policy that allows only the server's own scripts,
 * styles and connections (no inline script or style), and refuses framing. Every request passes the server's
 * Host and Origin check; a POST must carry a same-origin {@code Origin}. The session cookie is
 * {@code HttpOnly}, {@code SameSite=Strict}, scoped to {@code /dash}, and {@code Secure} over TLS.
 */
public final class Dashboard extends Handler.Wrapper {
    static final String COOKIE = "colony_dash";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final String EVENTS = "/v1/events/";
    private static final int MAX_FORM_BYTES = 64 * 1024;
    private static final System.Logger LOG = System.getLogger("dev.colony.server.dashboard");

    private final Colony colony;
    private final Guard guard;
    private final Alerts alerts;
    private final BiPredicate<String, String> hostAndOrigin;
    private final Sessions sessions = new Sessions(1024, Duration.ofHours(12));
    private final Assets assets = new Assets();
    private final Actions actions;
    private final Replays replays;
    private final Timeline timeline;
    private final TaskHistory history;
    private final Subjects subjects;
    private final Function<AgentId, OptionalInt> inboxDepth;
    private final ToIntFunction<Subject> subscribers;
    private final Path seriesFile;
    private volatile Figures figures;
    private volatile Feed feed;
    private volatile boolean running;

    /**
     * A dashboard in front of {@code api}.
     *
     * @param hostAndOrigin the server's Host and Origin check (host header, origin header or null): true to serve
     * @param inboxDepth the messages waiting for an agent (stored id) on this server, empty when it has no inbox here
     * @param subscribers how many subscribers a publish on a (stored) subject would reach now
     * @param seriesFile the file that keeps the overview's time series across restarts ({@link SeriesFile}), or
     *     null to keep it in memory only
     */
    public Dashboard(
            Handler api,
            Colony colony,
            Guard guard,
            Alerts alerts,
            BiPredicate<String, String> hostAndOrigin,
            Function<AgentId, OptionalInt> inboxDepth,
            ToIntFunction<Subject> subscribers,
            Path seriesFile) {
        super(api);
        this.seriesFile = seriesFile;
        this.inboxDepth = Objects.requireNonNull(inboxDepth, "inboxDepth");
        this.subscribers = Objects.requireNonNull(subscribers, "subscribers");
        this.colony = Objects.requireNonNull(colony, "colony");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.alerts = alerts;
        this.hostAndOrigin = Objects.requireNonNull(hostAndOrigin, "hostAndOrigin");
        this.replays = new Replays(colony.messenger());
        this.actions = new Actions(colony, guard, replays);
        this.history = new TaskHistory(colony.bus());
        this.timeline = new Timeline(colony.bus(), history);
        this.subjects = new Subjects();
    }

    @Override
    protected void doStart() throws Exception {
        figures = new Figures(
                colony,
                seriesFile == null
                        ? SeriesFile.none()
                        : SeriesFile.open(seriesFile, System.currentTimeMillis() / 1000));
        feed = new Feed(colony, figures, alerts, 64);
        running = true;
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        figures.close();
        timeline.close();
        history.close();
        super.doStop();
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if ("/".equals(path) && "GET".equals(request.getMethod())) {
            return redirect(response, callback, "/dash/", null);
        }
        if (path == null || !(path.equals("/dash") || path.startsWith("/dash/"))) {
            boolean handled = timeline.tap(request, response, callback, guard, super::handle);
            if (path != null && path.startsWith(EVENTS) && "POST".equals(request.getMethod())) {
                countPublished(request, response, path.substring(EVENTS.length()));
            }
            return handled;
        }
        Page page;
        try {
            page = dispatch(request, response, callback, path);
        } catch (BadInput e) {
            page = Page.message(400, "Bad request", e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "dashboard " + request.getMethod() + " " + path + " failed", e);
            page = Page.message(
                    500, "Server error", "the dashboard failed: " + e.getClass().getSimpleName());
        }
        if (page != null) {
            send(response, callback, page);
        }
        return true;
    }

    /** Counts a publish the API accepted, for the subjects page (the API answered before this runs). */
    private void countPublished(Request request, Response response, String subject) {
        if (response.getStatus() / 100 != 2 || subject.isEmpty() || subject.contains("/")) {
            return;
        }
        try {
            Principal principal = guard.authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION));
            subjects.published(principal.account(), URLDecoder.decode(subject, StandardCharsets.UTF_8));
        } catch (AccessDenied | IllegalArgumentException e) {
            // not counted: the API accepted it, so this does not happen unless the token was revoked meanwhile
        }
    }

    /** Answers the request; null when it was answered already (the feed, redirects). */
    private Page dispatch(Request request, Response response, Callback callback, String path) throws IOException {
        String host = request.getHeaders().get(HttpHeader.HOST);
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (!hostAndOrigin.test(host, origin)) {
            return Page.message(403, "Forbidden", "Host \"" + host + "\" or Origin \"" + origin + "\" is not allowed");
        }
        String method = request.getMethod();
        boolean post = "POST".equals(method);
        if (!post && !"GET".equals(method) && !"HEAD".equals(method)) {
            return Page.message(405, "Method not allowed", method + " is not allowed on " + path);
        }
        if (post && !sameOriginPost(request, host, origin)) {
            return Page.message(403, "Forbidden", "a dashboard POST must come from a page of this server");
        }
        if (path.startsWith("/dash/assets/")) {
            Assets.Asset asset = assets.get(path.substring("/dash/assets/".length()));
            return asset == null
                    ? Page.message(404, "Not found", "no file " + path)
                    : new Page(200, asset.contentType(), asset.bytes(), Map.of("Cache-Control", "max-age=3600"));
        }
        if (path.equals("/dash/login")) {
            return post ? login(request, response, callback) : Page.html(200, LoginPage.render(null));
        }
        Optional<Viewer> viewer = signedIn(request);
        if (path.equals("/dash/logout") && post) {
            cookie(request).ifPresent(sessions::close);
            return redirectPage(response, callback, "/dash/login", clearCookie(request));
        }
        if (viewer.isEmpty()) {
            return "GET".equals(method) && !path.startsWith("/dash/feed") && !path.endsWith("/table")
                    ? redirectPage(response, callback, "/dash/login", null)
                    : Page.message(401, "Sign in", "sign in with a token at /dash/login");
        }
        if (post && path.startsWith("/dash/actions/")) {
            Actions.Outcome outcome =
                    actions.run(viewer.get(), path.substring("/dash/actions/".length()), form(request));
            return Page.html(outcome.status(), ResultPage.render(viewer.get(), outcome, back(form(request))));
        }
        if (path.equals("/dash/feed")) {
            stream(viewer.get(), response, callback);
            return null;
        }
        return new Pages(colony, alerts, feed, timeline, history, subjects, replays, inboxDepth, subscribers)
                .get(viewer.get(), path, request);
    }

    private Page login(Request request, Response response, Callback callback) throws IOException {
        String token = form(request).getOrDefault("token", "").strip();
        try {
            Principal principal = guard.authenticate("Bearer " + token);
            guard.admit(principal);
            String id = sessions.open(token);
            LOG.log(System.Logger.Level.INFO, "dashboard sign-in: " + principal.account() + "." + principal.name());
            String cookie = COOKIE + "=" + id + "; Path=/dash; HttpOnly; SameSite=Strict"
                    + (request.isSecure() ? "; Secure" : "");
            return redirectPage(response, callback, "/dash/", cookie);
        } catch (AccessDenied e) {
            return Page.html(e.status(), LoginPage.render(e.getMessage()));
        }
    }

    private Optional<Viewer> signedIn(Request request) {
        Optional<String> token = cookie(request).flatMap(sessions::token);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        try {
            Principal principal = guard.authenticate("Bearer " + token.get());
            guard.admit(principal);
            return Optional.of(new Viewer(principal, token.get()));
        } catch (AccessDenied e) {
            return Optional.empty();
        }
    }

    private void stream(Viewer viewer, Response response, Callback callback) {
        if (!feed.tryOpen()) {
            send(response, callback, Page.message(503, "Busy", "too many dashboard streams are open"));
            return;
        }
        response.setStatus(200);
        securityHeaders(response);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            feed.stream(viewer, out, () -> running, () -> stillValid(viewer));
        } catch (IOException | RuntimeException e) {
            callback.failed(e); // the browser left, or the server stops
            return;
        }
        callback.succeeded();
    }

    private boolean stillValid(Viewer viewer) {
        try {
            guard.authenticate("Bearer " + viewer.token());
            return true;
        } catch (AccessDenied e) {
            return false;
        }
    }

    private static boolean sameOriginPost(Request request, String host, String origin) {
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin")) {
            return false;
        }
        return origin != null
                && host != null
                && (origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host));
    }

    private static Optional<String> cookie(Request request) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(COOKIE)) {
                return Optional.of(c.getValue());
            }
        }
        return Optional.empty();
    }

    private static String clearCookie(Request request) {
        return COOKIE + "=; Path=/dash; Max-Age=0; HttpOnly; SameSite=Strict" + (request.isSecure() ? "; Secure" : "");
    }

    static String back(Map<String, String> form) {
        String back = form.getOrDefault("back", "/dash/");
        return back.startsWith("/dash/") && !back.contains("//") && !back.contains("\\") ? back : "/dash/";
    }

    private static Map<String, String> form(Request request) throws IOException {
        Object cached = request.getAttribute("colony.dash.form");
        if (cached instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, String> form = (Map<String, String>) map;
            return form;
        }
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes(MAX_FORM_BYTES + 1);
        }
        if (body.length > MAX_FORM_BYTES) {
            throw new BadInput("the form is over " + MAX_FORM_BYTES + " bytes");
        }
        Map<String, String> form = FormBody.parse(new String(body, StandardCharsets.UTF_8));
        request.setAttribute("colony.dash.form", form);
        return form;
    }

    private Page redirectPage(Response response, Callback callback, String location, String cookie) {
        redirect(response, callback, location, cookie);
        return null;
    }

    private static boolean redirect(Response response, Callback callback, String location, String cookie) {
        response.setStatus(303);
        securityHeaders(response);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        if (cookie != null) {
            response.getHeaders().put(HttpHeader.SET_COOKIE, cookie);
        }
        response.write(true, ByteBuffer.allocate(0), callback);
        return true;
    }

    private static void send(Response response, Callback callback, Page page) {
        response.setStatus(page.status());
        securityHeaders(response);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, page.contentType());
        page.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        response.write(true, ByteBuffer.wrap(page.body()), callback);
    }

    private static void securityHeaders(Response response) {
        response.getHeaders().put("Content-Security-Policy", CSP);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("Referrer-Policy", "same-origin");
        response.getHeaders().put("Cache-Control", "no-store");
    }
}
