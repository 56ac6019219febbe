package dev.costmeter.alerting.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.AlertStatus;
import dev.costmeter.contracts.BudgetAction;
import dev.costmeter.contracts.BudgetPeriod;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.Granularity;
import dev.costmeter.contracts.PeriodLimit;
import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.testkit.KafkaClusterExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AlertingStreamIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    static final int K = 5;
    static final long USD = 1_000_000_000L;
    static AlertingStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new AlertingStack(KAFKA.cluster(), 2, Map.of("loop.repeat.limit", Integer.toString(K)));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldBlockAnAgentLoopingThroughTheSameToolCallAtItsKthCall() {
        String task = "agent-" + System.nanoTime();
        int calls = 0;
        boolean blocked = false;
        try (KafkaProducer<String, UsageEvent> producer = stack.producer();
                KafkaConsumer<String, ControlCommand> control = stack.consumer(ControlCommand.class, stack.topic("control"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!blocked && calls < 50 && System.nanoTime() < deadline) {
                calls++;
                Instant now = Instant.now();
                UsageEvent call = UsageEvent.newBuilder().setEventId(task + "-" + calls).setEventTime(now)
                        .setTenantId("acme").setTaskId(task).setTaskClass("agent").setRoute("chat")
                        .setProvider("openai").setModel("gpt-4o").setInputTokens(1_000).setOutputTokens(100)
                        .setToolName("search").setToolArgsHash("same-args").setStep(calls).setStatus(CallStatus.OK).build();
                producer.send(new ProducerRecord<>(stack.topic("usage"), task, call));
                producer.flush();
                // the agent checks its switch between steps, as the client's switch table would
                for (ConsumerRecord<String, ControlCommand> r : control.poll(Duration.ofMillis(calls < K ? 50 : 1_000))) {
                    blocked |= r.key().equals("task:" + task) && r.value().getAction() == SwitchAction.BLOCK;
                }
            }
        }
        assertThat(blocked).as("task blocked").isTrue();
        // How many more calls the agent made before it read the BLOCK depends on the machine's load;
        // what must hold is that the K-th call blocked it.
        assertThat(calls).isGreaterThanOrEqualTo(K);
        try (KafkaConsumer<String, Alert> alerts = stack.consumer(Alert.class, stack.topic("alerts"))) {
            List<Alert> fired = new ArrayList<>();
            org.awaitility.Awaitility.await("the loop alert").atMost(Duration.ofSeconds(60)).until(() -> {
                alerts.poll(Duration.ofMillis(200)).forEach(r -> fired.add(r.value()));
                return fired.stream().anyMatch(a -> a.getScope().equals("task:" + task));
            });
            Alert loop = fired.stream().filter(a -> a.getScope().equals("task:" + task)).findFirst().orElseThrow();
            assertThat(loop.getRule()).isEqualTo("task_loop");
            assertThat(loop.getObservedValue()).as("repeats counted when the loop fired").isEqualTo(K);
        }
    }

    @Test
    void shouldWarnAtFiftyAndSeventyThenBlockATenantCrossingItsDailyCapInThatOrder() throws Exception {
        String tenant = "tenant-" + System.nanoTime();
        Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS);
        try (KafkaProducer<String, BudgetPolicy> budgets = stack.producer();
                KafkaProducer<String, CostRollup> rollups = stack.producer();
                KafkaConsumer<String, Alert> alerts = stack.consumer(Alert.class, stack.topic("alerts"));
                KafkaConsumer<String, ControlCommand> control = stack.consumer(ControlCommand.class, stack.topic("control"))) {
            budgets.send(new ProducerRecord<>(stack.topic("budgets"), "tenant:" + tenant, BudgetPolicy.newBuilder()
                    .setScope("tenant:" + tenant).setLimits(List.of(new PeriodLimit(BudgetPeriod.DAY, 100 * USD)))
                    .setAction(BudgetAction.BLOCK).setUpdatedAt(Instant.now()).build())).get();
            // the global store must have the policy before the first rollup is judged
            awaitPolicy("tenant:" + tenant);
            List<Alert> seen = new ArrayList<>();
            for (long spent : new long[] {30, 55, 60, 75, 110, 120}) {
                rollups.send(new ProducerRecord<>(stack.topic("rollups"), "TENANT|" + tenant + "|DAY|" + day,
                        rollup(tenant, day, spent * USD))).get();
            }
            poll(alerts, seen, a -> a.getScope().equals("tenant:" + tenant), 3);
            assertThat(seen).extracting(Alert::getThresholdPct, Alert::getStatus).containsExactly(
                    tuple(50, AlertStatus.FIRING), tuple(70, AlertStatus.FIRING), tuple(100, AlertStatus.FIRING));
            List<ControlCommand> commands = new ArrayList<>();
            poll(control, commands, c -> c.getScope().equals("tenant:" + tenant), 1);
            assertThat(commands).extracting(ControlCommand::getAction).containsExactly(SwitchAction.BLOCK);
            assertThat(commands.get(0).getIssuedAt()).isAfterOrEqualTo(seen.get(1).getEmittedAt());
        }
    }

    private static void awaitPolicy(String scope) throws InterruptedException {
        org.awaitility.Awaitility.await("policy of " + scope + " to reach the global store").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20)).until(() -> policyVisible(scope));
    }

    private static boolean policyVisible(String scope) {
        try {
            return stack.app.streams().store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(
                    dev.costmeter.alerting.AlertingTopology.BUDGETS_STORE,
                    org.apache.kafka.streams.state.QueryableStoreTypes.<String, byte[]>keyValueStore())).get(scope) != null;
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            return false;
        }
    }

    private static CostRollup rollup(String tenant, Instant day, long cost) {
        return CostRollup.newBuilder().setDimension(RollupDimension.TENANT).setScope(tenant)
                .setGranularity(Granularity.DAY).setWindowStart(day).setWindowEnd(day.plus(Duration.ofDays(1)))
                .setCalls(1).setRetries(0).setFailures(0).setInputTokens(0).setOutputTokens(0).setCacheReadTokens(0)
                .setCacheWriteTokens(0).setCostNanos(cost).setInputCostNanos(cost).setOutputCostNanos(0)
                .setCacheReadCostNanos(0).setCacheWriteCostNanos(0).setSavingsNanos(0).setUpdatedAt(Instant.now()).build();
    }

    private static <T> void poll(KafkaConsumer<String, T> consumer, List<T> into, Predicate<T> mine, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (into.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, T> r : consumer.poll(Duration.ofMillis(200))) {
                if (mine.test(r.value())) {
                    into.add(r.value());
                }
            }
        }
    }
}
