package dev.costmeter.local.demo;

import dev.costmeter.client.killswitch.Decision;
import dev.costmeter.client.killswitch.KillSwitchClient;
import dev.costmeter.client.killswitch.StartupPolicy;
import dev.costmeter.client.usage.UsageReporter;
import dev.costmeter.client.usage.providers.OpenAiUsage;
import dev.costmeter.schemas.control.VerifyKeys;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A runnable service that makes simulated model calls through the client: a few well-behaved
 * tasks, then an agent that falls into a tool loop and is stopped by the kill switch.
 *
 * <pre>
 * java -cp ... dev.costmeter.local.demo.ExampleService \
 *     --bootstrap-servers localhost:9092 --registry-url http://localhost:8081 \
 *     --verify-keys &lt;id:base64 public key, as control.verify.keys&gt; \
 *     [--tenant acme] [--route research] [--max-steps 200] [--cap 5] [--latency-ms 100]
 * </pre>
 *
 * {@code --cap} is the loop limit configured in alerting-stream ({@code loop.repeat.limit}), only
 * used to print the overshoot.
 */
public final class ExampleService {

    private ExampleService() {
    }

    public static void main(String[] args) {
        Map<String, String> options = options(args);
        String bootstrap = required(options, "bootstrap-servers");
        String registry = required(options, "registry-url");
        VerifyKeys keys = VerifyKeys.parse("--verify-keys", required(options, "verify-keys"));
        String tenant = options.getOrDefault("tenant", "acme");
        String route = options.getOrDefault("route", "research");
        int maxSteps = Integer.parseInt(options.getOrDefault("max-steps", "200"));
        int cap = Integer.parseInt(options.getOrDefault("cap", "5"));
        Duration latency = Duration.ofMillis(Long.parseLong(options.getOrDefault("latency-ms", "100")));

        try (UsageReporter reporter = UsageReporter.builder().bootstrapServers(bootstrap).registryUrl(registry).build();
             KillSwitchClient switches = KillSwitchClient.builder().bootstrapServers(bootstrap).registryUrl(registry)
                     .verifyKeys(keys).startupPolicy(StartupPolicy.FAIL_OPEN).build()) {
            switches.addListener((scope, decision) -> System.out.println("switch " + scope + " -> " + decision));
            switches.start();
            SimulatedModel model = new SimulatedModel(latency);
            runOrdinaryTasks(reporter, switches, model, tenant, route, System.out);
            LoopingAgent.Identity who = new LoopingAgent.Identity(tenant, route, "plan@v3",
                    "agent-run-" + UUID.randomUUID(), "research-agent", "user-7");
            LoopingAgent.Result result = runAgent(reporter, switches, model, who, maxSteps, cap, latency, System.out);
            System.exit(result.blockedBy() == null ? 1 : 0);
        }
    }

    /** Three short tasks that each make two calls and finish, as most traffic does. */
    public static void runOrdinaryTasks(UsageReporter reporter, KillSwitchClient switches, SimulatedModel model,
            String tenant, String route, PrintStream out) {
        for (int task = 1; task <= 3; task++) {
            String taskId = "ticket-" + UUID.randomUUID();
            for (int call = 1; call <= 2; call++) {
                Decision decision = switches.check(tenant, route, null, taskId, null);
                if (!decision.allowed()) {
                    out.println(taskId + " refused: " + decision);
                    break;
                }
                SimulatedModel.Response response = model.complete("gpt-4o", 800);
                reporter.call().tenant(tenant).task(taskId, "support-answer").route(route)
                        .model("openai", response.model()).usage(OpenAiUsage.chatCompletions(response.usageJson()))
                        .report();
            }
        }
        out.println("ordinary tasks done: " + reporter.metrics());
    }

    /** Runs the looping agent and prints how it ended and its overshoot past {@code cap}. */
    public static LoopingAgent.Result runAgent(UsageReporter reporter, KillSwitchClient switches, SimulatedModel model,
            LoopingAgent.Identity who, int maxSteps, int cap, Duration thinkTime, PrintStream out) {
        out.println("agent " + who.taskId() + " starts looping on the same tool call");
        LoopingAgent.Result result = new LoopingAgent(switches, reporter, model, who).run(maxSteps, thinkTime);
        if (result.blockedBy() != null) {
            out.println("agent " + who.taskId() + " BLOCKED after " + result.calls() + " calls: " + result.blockedBy());
            out.println("overshoot: " + result.overshoot(cap) + " call(s) after crossing its cap of " + cap
                    + "; " + result.reactionTime(cap).toMillis() + " ms from the cap-th call to the refusal");
        } else {
            out.println("agent " + who.taskId() + " was never blocked in " + result.calls() + " calls");
        }
        return result;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Expected --name value pairs, got: " + String.join(" ", args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
