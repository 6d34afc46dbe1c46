/**
 * Checks of command-line arguments that every command shares, made before a run starts: output paths,
 * Redis URIs, sizes against the heap, and the masking of secrets in anything printed. It depends on no
 * command, so the commands of {@code dev.colony.cli} and {@code dev.colony.cli.bench} both build on it.
 */
package dev.colony.cli.args;
