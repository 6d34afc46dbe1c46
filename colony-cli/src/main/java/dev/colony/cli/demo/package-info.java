/**
 * {@code colony demo} in small parts: the worker and coordinator behaviours, the chaos step, the
 * invariants and the summary, and {@link dev.colony.cli.demo.Demo}, which runs them as one story. The
 * picocli command ({@code dev.colony.cli.DemoCommand}) checks the options and builds the colony; this
 * package never depends on it.
 */
package dev.colony.cli.demo;
