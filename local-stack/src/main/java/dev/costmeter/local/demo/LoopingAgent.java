package dev.costmeter.local.demo;

import dev.costmeter.client.killswitch.Decision;
import dev.costmeter.client.killswitch.KillSwitchClient;
import dev.costmeter.client.usage.UsageReporter;
import dev.costmeter.client.usage.providers.OpenAiUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * An agent stuck in a tool loop: every step calls the model, which asks for the same tool with the
 * same arguments again. It checks the kill switch before each call and reports usage after, as a
 * well-behaved service does, and stops when its task is blocked.
 */
public final class LoopingAgent {

    /**
     * How a run ended.
     *
     * @param calls model calls made
     * @param blockedBy the decision that stopped it, or null if it ran out of steps
     * @param degradedCalls calls made with a fallback model because of a DEGRADE switch
     * @param reportedAtNanos {@link System#nanoTime()} when each call was reported, in order
     * @param stoppedAtNanos {@link System#nanoTime()} when the run ended
     */
    public record Result(int calls, Decision blockedBy, int degradedCalls, long[] reportedAtNanos, long stoppedAtNanos) {

        /** Calls made beyond {@code cap} (the rule's limit) before the block took effect. */
        public int overshoot(int cap) {
            return Math.max(0, calls - cap);
        }

        /** From reporting the {@code cap}-th call to the refused call: the control loop's reaction time. */
        public Duration reactionTime(int cap) {
            if (cap < 1 || cap > calls) {
                return Duration.ZERO;
            }
            return Duration.ofNanos(stoppedAtNanos - reportedAtNanos[cap - 1]);
        }
    }

    /** Who the agent works for: the fields every usage event and switch check carry. */
    public record Identity(String tenant, String route, String promptVersion, String taskId, String taskClass,
                           String endUser) {
    }

    private static final String TOOL = "search_web";
    private static final String SAME_ARGS_HASH = "sha256:9f2c1e";

    private final KillSwitchClient switches;
    private final UsageReporter reporter;
    private final SimulatedModel model;
    private final Identity who;

    public LoopingAgent(KillSwitchClient switches, UsageReporter reporter, SimulatedModel model, Identity who) {
        this.switches = switches;
        this.reporter = reporter;
        this.model = model;
        this.who = who;
    }

    /** Runs up to {@code maxSteps} steps, pausing {@code thinkTime} between them (the tool "runs"). */
    public Result run(int maxSteps, Duration thinkTime) {
        int calls = 0;
        int degraded = 0;
        long[] reportedAt = new long[maxSteps];
        for (int step = 1; step <= maxSteps; step++) {
            Decision decision = switches.check(who.tenant(), who.route(), who.promptVersion(), who.taskId(), who.endUser());
            if (decision instanceof Decision.Block) {
                return new Result(calls, decision, degraded, Arrays.copyOf(reportedAt, calls), System.nanoTime());
            }
            String modelId = "gpt-4o";
            if (decision instanceof Decision.Degrade degrade) {
                modelId = degrade.model();
                degraded++;
            }
            Instant started = Instant.now();
            SimulatedModel.Response response = model.complete(modelId, 1_200 + 40 * step);
            calls++;
            reporter.call()
                    .tenant(who.tenant()).task(who.taskId(), who.taskClass()).route(who.route())
                    .promptVersion(who.promptVersion()).endUser(who.endUser())
                    .model("openai", response.model())
                    .usage(OpenAiUsage.chatCompletions(response.usageJson()))
                    .step(step, TOOL, SAME_ARGS_HASH)
                    .latency(Duration.between(started, Instant.now()))
                    .report();
            reportedAt[calls - 1] = System.nanoTime();
            if (!thinkTime.isZero()) {
                java.util.concurrent.locks.LockSupport.parkNanos(thinkTime.toNanos());
            }
        }
        return new Result(calls, null, degraded, reportedAt, System.nanoTime());
    }
}
