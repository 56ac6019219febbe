package dev.costmeter.bench;

import java.util.Locale;
import java.util.Random;

/**
 * The shape of a benchmark's work: how many tasks its calls belong to and how the calls spread over
 * them. {@code uniform} picks each call's task at random (2,000,000 calls over 2,000,000 tasks are
 * mostly one call per task; over 1,000 tasks about 2,000 calls each); {@code zipf} gives the task of
 * rank {@code k} a share proportional to {@code 1 / k^exponent}, so a few tasks are very long and
 * most are short, as on an agent platform.
 *
 * <p>Written as {@code TASKS[:uniform|:zipf[:EXPONENT]]}, e.g. {@code 100000:zipf:1.0}.
 */
record WorkShape(int tasks, Distribution distribution, double exponent) {

    enum Distribution { UNIFORM, ZIPF }

    static final double DEFAULT_EXPONENT = 1.0;

    WorkShape {
        if (tasks < 1) {
            throw new IllegalArgumentException("A shape needs at least one task, got " + tasks);
        }
        if (distribution == Distribution.ZIPF && !(exponent > 0)) {
            throw new IllegalArgumentException("A Zipf exponent must be above 0, got " + exponent);
        }
    }

    static WorkShape parse(String text) {
        String[] parts = text.trim().split(":");
        int tasks;
        Distribution distribution;
        double exponent;
        try {
            tasks = Integer.parseInt(parts[0].replace("_", ""));
            distribution = parts.length == 1 ? Distribution.UNIFORM : Distribution.valueOf(parts[1].toUpperCase(Locale.ROOT));
            exponent = parts.length == 3 ? Double.parseDouble(parts[2]) : DEFAULT_EXPONENT;
        } catch (IllegalArgumentException e) {
            throw notAShape(text, e);
        }
        if (parts.length > (distribution == Distribution.ZIPF ? 3 : 2)) {
            throw notAShape(text, null);
        }
        return new WorkShape(tasks, distribution, distribution == Distribution.ZIPF ? exponent : 0);
    }

    private static IllegalArgumentException notAShape(String text, Exception cause) {
        return new IllegalArgumentException("Not a work shape: '" + text
                + "' (expected TASKS[:uniform|:zipf[:EXPONENT]], e.g. 100000:zipf:1.0)", cause);
    }

    /** A short name for topic and group names and the result table. */
    String label() {
        return distribution == Distribution.UNIFORM ? tasks + "-uniform" : tasks + "-zipf" + exponent;
    }

    /** Draws the task of each call; deterministic for a seed. */
    TaskPicker picker(long seed) {
        Random random = new Random(seed);
        if (distribution == Distribution.UNIFORM) {
            return () -> random.nextInt(tasks);
        }
        // Inverse-CDF sampling over the cumulative weights (tasks doubles: 16 MB for 2,000,000 tasks).
        double[] cumulative = new double[tasks];
        double sum = 0;
        for (int rank = 1; rank <= tasks; rank++) {
            sum += 1.0 / Math.pow(rank, exponent);
            cumulative[rank - 1] = sum;
        }
        double total = sum;
        return () -> {
            int i = java.util.Arrays.binarySearch(cumulative, random.nextDouble() * total);
            return Math.min(i < 0 ? -i - 1 : i, tasks - 1);
        };
    }

    interface TaskPicker {
        int next();
    }
}
