/** The MCP endpoint of colony serve at {@code /mcp}: twelve tools over the {@code /v1} routes (ADR 0046). */
package dev.colony.server.mcp;
