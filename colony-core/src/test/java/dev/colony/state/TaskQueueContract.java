package dev.colony.state;

/** Part of {@link StateContract}. */
public interface TaskQueueContract extends StateFixture {}
