package dev.costmeter.cli;

/** costctl's exit codes. */
public final class ExitCodes {

    /** The command did what was asked. */
    public static final int OK = 0;
    /** The operation failed: an invalid catalog, an error answer, a failed write. */
    public static final int FAILED = 1;
    /** The command line was wrong (picocli's default for usage errors). */
    public static final int USAGE = 2;
    /** A service (Kafka, the schema registry, metering-stream) could not be reached. */
    public static final int UNREACHABLE = 3;

    private ExitCodes() {
    }
}
