package dev.costmeter.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import picocli.CommandLine;

/** One costctl invocation in this JVM, with what it printed. */
public record CostctlRun(int exitCode, String out, String err) {

    /** "Now" for every test: 2026-11-27T12:00:00Z. */
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);

    /** Runs costctl with {@code args}; retries of a 503 do not wait. */
    public static CostctlRun of(String... args) {
        return withEnv(Map.of(), args);
    }

    /** As {@link #of}, with {@code env} over the process environment. */
    public static CostctlRun withEnv(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Costctl.commandLine(new Costctl(CLOCK, Duration.ZERO,
                name -> env.containsKey(name) ? env.get(name) : System.getenv(name)));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CostctlRun(exitCode, out.toString(), err.toString());
    }
}
