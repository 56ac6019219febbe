package dev.costmeter.local;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a step whose library code prints its report to standard output (costctl's tables of every
 * price and budget applied, some 45 lines) and sends those lines to the log instead of the
 * launcher's console, which carries one line per step. Only for steps that run while nothing else
 * of the stack prints: standard output is the process's, replaced for the step's duration.
 */
final class StdoutToLog {

    private static final Logger log = LoggerFactory.getLogger(Costctl.class);

    private StdoutToLog() {
    }

    /** A stream whose every line is logged at INFO by {@code logger}. */
    static PrintStream lines(Logger logger) {
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                if (b == '\n') {
                    logger.info("{}", line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else if (b != '\r') {
                    line.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8);
    }

    static void run(ParallelSteps.Step step) throws Exception {
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            step.run();
        } finally {
            System.setOut(console);
            printed.toString(StandardCharsets.UTF_8).lines().forEach(line -> log.info("{}", line));
        }
    }
}
