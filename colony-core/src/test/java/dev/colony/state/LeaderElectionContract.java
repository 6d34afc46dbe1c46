package dev.colony.state;

/** Part of {@link StateContract}. */
public interface LeaderElectionContract extends StateFixture {}
