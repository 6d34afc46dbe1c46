package dev.colony.state;

/** Part of {@link StateContract}. */
public interface SharedMemoryContract extends StateFixture {}
