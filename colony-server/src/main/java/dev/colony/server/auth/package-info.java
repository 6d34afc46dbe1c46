/**
 * Who may call the server and what they may do: bearer tokens stored hashed, accounts, allow/deny
 * permissions written as Colony subject patterns, per-principal rate limits and the audit trail. The
 * HTTP layer sees only {@link dev.colony.server.auth.Guard}.
 */
package dev.colony.server.auth;
