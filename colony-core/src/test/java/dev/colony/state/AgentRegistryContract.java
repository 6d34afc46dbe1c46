package dev.colony.state;

/** Part of {@link StateContract}: the agent registry. */
public interface AgentRegistryContract extends StateFixture {}
