package dev.costmeter.client;

/**
 * Runs the client's JMH benchmarks (or those matching the given regex) with JMH's own command
 * line, e.g. {@code -f 1 -wi 3 -i 5}. See client/README.md for the one-line Maven command.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        String[] jmhArgs = args.length == 0 ? new String[] {"dev.costmeter.client.*Benchmark.*"} : args;
        org.openjdk.jmh.Main.main(jmhArgs);
    }
}
