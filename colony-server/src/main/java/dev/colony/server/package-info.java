/**
 * {@code colony serve}: one Colony behind an HTTP/JSON and SSE API for agents written in any language,
 * secure by default (loopback bind, bearer tokens, permissions as subject patterns). The design is
 * docs/serve.md; the security layer is {@link dev.colony.server.auth}.
 */
package dev.colony.server;
