/**
 * {@code colony serve}: Colony over HTTP/JSON and SSE for agents in any language. Exports the security
 * layer, {@code dev.colony.server.auth}, which {@code colony token} (colony-cli) uses to manage tokens.
 */
module dev.colony.server {
    requires transitive dev.colony.core; // Guard.open takes an EventBus
    requires tools.jackson.databind;
    requires org.eclipse.jetty.server;

    exports dev.colony.server.auth;
}
