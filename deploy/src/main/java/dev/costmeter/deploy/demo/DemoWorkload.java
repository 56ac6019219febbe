package dev.costmeter.deploy.demo;

import dev.costmeter.client.example.LoopingAgent;
import dev.costmeter.client.example.SimulatedModel;
import dev.costmeter.schemas.control.VerifyKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo behind {@code ./costmeter up --demo}: simulated services emitting the traffic costmeter
 * exists for (a cached support chat, long-context RAG, a nightly batch job, a retry storm on a
 * broken prompt version, a tenant burning its daily cap) and an agent that falls into a tool loop.
 */
public final class DemoWorkload implements AutoCloseable {

    /** The looping agent's cap: alerting-stream's {@code loop.repeat.limit}. */
    public static final int LOOP_CAP = 8;

    private final VerifyKeys verifyKeys;
    private final DemoServices services;
    private final List<Scenario> scenarios;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<LoopingAgent.Result> agentResult = new AtomicReference<>();
    private final String agentTaskId = "agent-run-" + UUID.randomUUID().toString().substring(0, 8);

    /** @param keys the public keys the simulated services verify kill-switch commands with (control.verify.keys) */
    public DemoWorkload(String bootstrapServers, String registryUrl, VerifyKeys keys) {
        this(bootstrapServers, registryUrl, keys, Map.of());
    }

    /**
     * @param keys          as above
     * @param kafkaSecurity the services' Kafka client security ({@code security.protocol}, {@code sasl.*},
     *                      {@code ssl.*}), as a secure stack gives its service principal
     */
    public DemoWorkload(String bootstrapServers, String registryUrl, VerifyKeys keys, Map<String, String> kafkaSecurity) {
        this.verifyKeys = keys;
        this.services = new DemoServices(bootstrapServers, registryUrl, keys, kafkaSecurity);
        this.scenarios = Scenarios.all(services);
    }

    /** The public keys the simulated services verify with. */
    public VerifyKeys verifyKeys() {
        return verifyKeys;
    }

    /** Starts every simulated service on its own thread. */
    public DemoWorkload start() {
        services.start();
        for (Scenario scenario : scenarios) {
            threads.add(daemon("demo-" + scenario.name, scenario));
        }
        threads.add(daemon("demo-looping-agent", () -> {
            LoopingAgent.Identity who = new LoopingAgent.Identity("acme", "research", "plan@v3", agentTaskId, "agent-run",
                    "user-7");
            agentResult.set(new LoopingAgent(services.switches(), services.reporter(), new SimulatedModel(Duration.ofMillis(200)), who)
                    .run(500, Duration.ofMillis(250)));
        }));
        return this;
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    public String agentTaskId() {
        return agentTaskId;
    }

    /** How the looping agent ended, once it has. */
    public LoopingAgent.Result agentResult() {
        return agentResult.get();
    }

    long callsSent() {
        return scenarios.stream().mapToLong(s -> s.calls.get()).sum();
    }

    long callsRefused() {
        return scenarios.stream().mapToLong(s -> s.refused.get()).sum();
    }

    List<Scenario> scenarios() {
        return scenarios;
    }

    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        services.close();
    }
}
