package dev.costmeter.client.killswitch;

import dev.costmeter.contracts.SwitchAction;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link KillSwitchClient#check} with 100,000 switches in force: 60,000 tasks, 20,000 end users,
 * 10,000 prompt versions, 5,000 routes and 5,000 tenants. Each benchmark cycles through 4,096
 * different callers so no single map entry stays hot in L1.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CheckBenchmark {

    private static final int CALLERS = 4096;

    private KillSwitchClient client;
    private final String[] tenants = new String[CALLERS];
    private final String[] routes = new String[CALLERS];
    private final String[] blockedTasks = new String[CALLERS];
    private final String[] freeTasks = new String[CALLERS];
    private final String[] users = new String[CALLERS];
    private int next;

    @Setup
    public void load() {
        client = KillSwitchClient.builder().bootstrapServers("unused:9092").registryUrl("http://unused")
                .verifyKeys(Commands.TRUSTED).build();
        int loaded = 0;
        for (int i = 0; i < 60_000; i++) {
            loaded += load("task:run-" + i, i % 10 == 0 ? SwitchAction.DEGRADE : SwitchAction.BLOCK);
        }
        for (int i = 0; i < 20_000; i++) {
            loaded += load("end_user:tenant-" + (i % 5_000) + "/user-" + i, SwitchAction.BLOCK);
        }
        for (int i = 0; i < 10_000; i++) {
            loaded += load("prompt:route-" + (i % 5_000) + "@plan@v" + i, SwitchAction.DEGRADE);
        }
        for (int i = 0; i < 5_000; i++) {
            loaded += load("route:route-" + i, SwitchAction.DEGRADE);
            loaded += load("tenant:tenant-" + i, SwitchAction.BLOCK);
        }
        if (loaded != 100_000 || client.metrics().activeSwitches() != 100_000) {
            throw new IllegalStateException("expected 100,000 active switches, got " + client.metrics().activeSwitches());
        }
        for (int i = 0; i < CALLERS; i++) {
            tenants[i] = "other-tenant-" + i;
            routes[i] = "other-route-" + i;
            blockedTasks[i] = "run-" + (i * 13 % 60_000);
            freeTasks[i] = "free-run-" + i;
            users[i] = "other-user-" + i;
        }
        for (int i = 0; i < CALLERS; i += 2) {
            tenants[i] = "tenant-" + (i % 5_000);
        }
    }

    private int load(String scope, SwitchAction action) {
        return client.loadForBenchmark(Commands.signed(scope, action, action == SwitchAction.DEGRADE ? "small" : null,
                1, null, Commands.KEY)) ? 1 : 0;
    }

    private int nextCaller() {
        next = (next + 1) & (CALLERS - 1);
        return next;
    }

    /** The first lookup answers: the task itself is switched. */
    @Benchmark
    public Decision blockedTask() {
        int i = nextCaller();
        return client.check("other-tenant", "other-route", "plan@v1", blockedTasks[i], users[i]);
    }

    /** The worst case: all seven lookups run; half the callers end at a blocked tenant, half are allowed. */
    @Benchmark
    public Decision unswitchedTaskFallsThroughEveryScope() {
        int i = nextCaller();
        return client.check(tenants[i], routes[i], "plan@v1", freeTasks[i], users[i]);
    }
}
