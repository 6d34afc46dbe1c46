package dev.colony.server;

import org.eclipse.jetty.server.Handler;

/**
 * Something served beside the {@code /v1} API on the same port, such as the MCP endpoint: it wraps the
 * {@code /v1} handler and is closed with the server. Made from a {@link LocalApi} by the factory given to
 * {@link ColonyServer.Builder#endpoint}, so that this package does not depend on the endpoint's.
 */
@SuppressWarnings("exports") // Jetty's Handler: only this module's endpoints implement it
public interface Endpoint extends AutoCloseable {

    /** A handler serving this endpoint's paths and everything else with {@code rest}. */
    Handler around(Handler rest);

    @Override
    void close();
}
