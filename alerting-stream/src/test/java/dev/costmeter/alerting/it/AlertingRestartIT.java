package dev.costmeter.alerting.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.AlertStatus;
import dev.costmeter.contracts.BudgetAction;
import dev.costmeter.contracts.BudgetPeriod;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.PeriodLimit;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.testkit.KafkaClusterExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control loop survives its own crash: alerting runs in a child JVM and is killed with SIGKILL
 * while a looping agent is three calls short of its loop limit and a tenant is at 60% of its cap.
 * After the restart the agent is blocked at its K-th call (its counters were not lost), and the
 * tenant's 70% and 100% steps fire once each, the 50% step not again.
 */
class AlertingRestartIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    private static final int K = 8;
    private static final long USD = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldKeepLoopCountersAndCapLadderAcrossASigkill() throws Exception {
        try (AlertingStack stack = new AlertingStack(KAFKA.cluster(), 2, Map.of(
                "loop.repeat.limit", Integer.toString(K), "http.port", "0",
                "state.dir", dir.resolve("state").toString()), false);
                KafkaProducer<String, UsageEvent> usage = stack.producer();
                KafkaProducer<String, PriceEntry> prices = stack.producer();
                KafkaProducer<String, BudgetPolicy> budgets = stack.producer();
                KafkaConsumer<String, Alert> alerts = stack.consumer(Alert.class, stack.topic("alerts"));
                KafkaConsumer<String, ControlCommand> control = stack.consumer(ControlCommand.class, stack.topic("control"))) {
            Instant now = Instant.now();
            prices.send(new ProducerRecord<>(stack.topic("prices"), "openai/gpt-4o", PriceEntry.newBuilder()
                    .setProvider("openai").setModel("gpt-4o").setEffectiveFrom(now.minus(Duration.ofDays(1)))
                    .setInputNanosPerMtok(USD).setOutputNanosPerMtok(0).setPriceVersion("it").build())).get();
            budgets.send(new ProducerRecord<>(stack.topic("budgets"), "tenant:capped", BudgetPolicy.newBuilder()
                    .setScope("tenant:capped").setUpdatedAt(now)
                    .setLimits(List.of(new PeriodLimit(BudgetPeriod.DAY, 10 * USD))).setAction(BudgetAction.BLOCK)
                    .build())).get();
            List<Alert> seenAlerts = new ArrayList<>();
            List<ControlCommand> seenCommands = new ArrayList<>();

            Process alerting = start(stack, "first");
            try {
                for (int i = 1; i <= K - 3; i++) {
                    usage.send(new ProducerRecord<>(stack.topic("usage"), "agent", loopCall(i)));
                }
                for (int i = 1; i <= 6; i++) {
                    usage.send(new ProducerRecord<>(stack.topic("usage"), "job-" + i, dollarCall("before-" + i, "job-" + i)));
                }
                usage.flush();
                // Processed and committed: the 50% step has fired.
                Awaitility.await("the 50% step").atMost(Duration.ofSeconds(90)).until(() -> {
                    drain(alerts, seenAlerts);
                    return steps(seenAlerts).contains(50);
                });
                assertThat(steps(seenAlerts)).containsExactly(50);
            } finally {
                alerting.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
            }

            alerting = start(stack, "second");
            try {
                for (int i = K - 2; i <= K; i++) {
                    usage.send(new ProducerRecord<>(stack.topic("usage"), "agent", loopCall(i)));
                }
                for (int i = 1; i <= 4; i++) {
                    usage.send(new ProducerRecord<>(stack.topic("usage"), "job-" + i, dollarCall("after-" + i, "job-" + i)));
                }
                usage.flush();
                Awaitility.await("the agent and the tenant blocked").atMost(Duration.ofSeconds(120)).until(() -> {
                    drain(control, seenCommands);
                    return seenCommands.stream().map(ControlCommand::getScope).toList()
                            .containsAll(List.of("task:agent", "tenant:capped"));
                });
                Awaitility.await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
                drain(alerts, seenAlerts);

                Alert loop = seenAlerts.stream().filter(a -> a.getRule().equals("task_loop")).findFirst().orElseThrow();
                assertThat(loop.getObservedValue()).as("calls counted toward the loop, across the crash").isEqualTo(K);
                assertThat(steps(seenAlerts)).containsExactly(50, 70, 100);
                assertThat(seenAlerts.stream().filter(a -> a.getRule().equals("task_loop")
                        && a.getStatus() == AlertStatus.FIRING)).hasSize(1);
            } finally {
                alerting.destroy();
                alerting.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    private static List<Integer> steps(List<Alert> alerts) {
        return alerts.stream().filter(a -> a.getRule().equals("budget_cap") && a.getStatus() == AlertStatus.FIRING)
                .map(Alert::getThresholdPct).toList();
    }

    private static <T> void drain(KafkaConsumer<String, T> consumer, List<T> into) {
        for (ConsumerRecord<String, T> r : consumer.poll(Duration.ofMillis(200))) {
            into.add(r.value());
        }
    }

    private static UsageEvent loopCall(int step) {
        return UsageEvent.newBuilder().setEventId("agent-" + step).setEventTime(Instant.now()).setTenantId("acme")
                .setTaskId("agent").setTaskClass("agent").setRoute("research").setProvider("openai").setModel("gpt-4o")
                .setInputTokens(100).setOutputTokens(0).setToolName("search").setToolArgsHash("same-args").setStep(step)
                .setStatus(CallStatus.OK).build();
    }

    private static UsageEvent dollarCall(String id, String task) {
        return UsageEvent.newBuilder().setEventId(id).setEventTime(Instant.now()).setTenantId("capped").setTaskId(task)
                .setTaskClass("report").setRoute("reports").setProvider("openai").setModel("gpt-4o")
                .setInputTokens(1_000_000).setOutputTokens(0).setStatus(CallStatus.OK).build();
    }

    /** Starts alerting-stream in its own JVM with the stack's configuration file, and waits until it is ready. */
    private Process start(AlertingStack stack, String run) throws IOException {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(stack.config);
        properties.put("http.port", Integer.toString(port));
        properties.put("http.host", "127.0.0.1");
        Path file = dir.resolve("alerting-" + run + ".properties");
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, "AlertingRestartIT");
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "dev.costmeter.alerting.AlertingApp", file.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("alerting-" + run + ".log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("COSTMETER_") || k.startsWith("TOPIC_"));
        Process process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await("alerting-stream (" + run + ") ready").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("alerting-stream exited: " + Files.readString(dir.resolve("alerting-" + run + ".log")));
                    }
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
        return process;
    }
}
