/**
 * Agent-to-agent messaging: send to one agent, ask and await a reply, broadcast to a role.
 *
 * <p>{@link dev.colony.messaging.Messenger} is the interface; an agent is reachable once it opens an
 * {@link dev.colony.messaging.Inbox} (bounded, set up by {@link dev.colony.messaging.InboxOptions}) and
 * receives {@link dev.colony.messaging.Envelope}s addressed by {@link dev.colony.messaging.AgentId}.
 * {@link dev.colony.messaging.SendOutcome} and {@link dev.colony.messaging.ReplyFailure} are the outcomes of a
 * send and of a request; undelivered messages go to the bounded {@link dev.colony.messaging.DeadLetters}.
 * {@link dev.colony.messaging.MessageCodec} turns envelopes into bytes; {@link
 * dev.colony.messaging.JsonMessageCodec} writes CloudEvents 1.0 JSON. Decisions: ADRs 0006 and 0007.
 */
package dev.colony.messaging;
