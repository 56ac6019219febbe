package dev.costmeter.cli;

/** How a command prints its result. */
public enum Output {
    /** Aligned columns for people. */
    TABLE,
    /** JSON for scripts. */
    JSON
}
