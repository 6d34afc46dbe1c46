/**
 * The agent runtime: agents on virtual threads, each with its own inbox, registration, heartbeat and
 * supervision.
 *
 * <p>{@link dev.colony.agent.Agents} spawns an agent from an {@link dev.colony.agent.AgentSpec} (id, role,
 * inbox, heartbeat, {@link dev.colony.agent.RestartPolicy}) and a {@link dev.colony.agent.Behavior} (start,
 * one message at a time, stop), and returns an {@link dev.colony.agent.AgentHandle} to watch and stop it. A
 * behaviour sees its agent and colony through an {@link dev.colony.agent.AgentContext}; where it is in its
 * life is an {@link dev.colony.agent.AgentRunState}. Decisions: ADR 0011.
 */
package dev.colony.agent;
