package dev.costmeter.metering.tasks;

import java.util.HashMap;
import java.util.Map;

/**
 * One shared copy of each name that task totals repeat: tenants, task classes, routes and
 * provider/model keys are few, while tasks are many. Each call decodes its own copies of them; kept
 * in a task's totals, they would be a task's own objects, scattered over the heap, which every
 * later call of the task (finding its model) and every write-back (encoding its names) reads from
 * main memory: at 100,000 tasks the task state is far larger than the CPU caches (issue #19's
 * profile). The shared copies are read all the time, so they stay cached.
 *
 * <p>Not thread-safe: each processor instance (one stream thread) has its own. Bounded: when
 * {@link #MAX_NAMES} distinct names have been seen (names are not as few as expected), it starts
 * over, so it never holds more than that.
 */
final class Names {

    static final int MAX_NAMES = 10_000;

    private final Map<String, String> shared = new HashMap<>();

    /** The shared copy of {@code name} (null for null). */
    String of(String name) {
        if (name == null) {
            return null;
        }
        String known = shared.get(name);
        if (known != null) {
            return known;
        }
        if (shared.size() >= MAX_NAMES) {
            shared.clear();
        }
        shared.put(name, name);
        return name;
    }
}
