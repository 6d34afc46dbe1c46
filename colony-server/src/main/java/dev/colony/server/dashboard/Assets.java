package dev.colony.server.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's static files, read once at start: htmx, its SSE extension and uPlot from their webjars on
 * the class path (nothing from a CDN), and the dashboard's own script and style sheet.
 */
final class Assets {
    /** A file: its content type and bytes. */
    record Asset(String contentType, byte[] bytes) {}

    private static final String WEBJARS = "META-INF/resources/webjars/";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";

    private final Map<String, Asset> files;

    Assets() {
        this.files = Map.of(
                "htmx.min.js", new Asset(JS, webjar("htmx.org/2.0.8/dist/htmx.min.js")),
                "sse.js", new Asset(JS, webjar("htmx-ext-sse/2.2.2/sse.js")),
                "uPlot.iife.min.js", new Asset(JS, webjar("uplot/1.6.30/dist/uPlot.iife.min.js")),
                "uPlot.min.css", new Asset(CSS, webjar("uplot/1.6.30/dist/uPlot.min.css")),
                "dash.js", new Asset(JS, own("dash.js")),
                "dash.css", new Asset(CSS, own("dash.css")));
    }

    /** The file of this name, or null. */
    Asset get(String name) {
        return files.get(name);
    }

    private static byte[] webjar(String path) {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(WEBJARS + path)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard needs " + WEBJARS + path
                        + " on the class path (its webjar is a dependency of colony-server)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] own(String name) {
        try (InputStream in = Assets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
