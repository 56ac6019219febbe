package dev.costmeter.faults.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.alerting.AlertingApp;
import dev.costmeter.faults.campaign.OperatorFiles;
import dev.costmeter.faults.check.CheckReport;
import dev.costmeter.faults.check.Checker;
import dev.costmeter.faults.check.Sources;
import dev.costmeter.faults.cluster.ConsumerLag;
import dev.costmeter.faults.oracle.Expectations;
import dev.costmeter.faults.oracle.Oracle;
import dev.costmeter.faults.workload.PoisonKind;
import dev.costmeter.faults.workload.SentLog;
import dev.costmeter.faults.workload.WorkloadDriver;
import dev.costmeter.faults.workload.WorkloadPlan;
import dev.costmeter.faults.workload.WorkloadPlanner;
import dev.costmeter.faults.workload.WorkloadSpec;
import dev.costmeter.metering.MeteringApp;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import dev.costmeter.schemas.control.ControlKeyPair;
import dev.costmeter.schemas.topics.TopicNames;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import dev.costmeter.testkit.SchemaRegistryExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The campaign's oracle and checker against the real pipeline, without faults: a small seeded workload
 * (duplicates, retries, late events, long tasks, runaways, a capped tenant, bad records) through two
 * metering-stream instances and one alerting-stream instance in this JVM, on a real broker and the real
 * registry; the checker must find the ledger topic, the DLQ, the query API, alerts and switches exactly as
 * the oracle says.
 *
 * <p>Every kind of bad record is sent, and the DLQ must hold each exactly once: metering owns the usage
 * topic's validation and alerting skips what metering rejects.
 */
class OracleAgainstMeteringIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = SchemaRegistryExtension.on(KAFKA);

    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final String METERING_GROUP = "fc-metering";
    private static final String ALERTING_GROUP = "fc-alerting";

    @TempDir
    Path dir;

    @Test
    void shouldFindEveryStoreAsTheOracleSays() throws Exception {
        KafkaCluster kafka = KAFKA.cluster();
        createTopics(kafka);
        WorkloadPlan plan = WorkloadPlanner.plan(WorkloadSpec.campaign(42, 3_000, 6_000, 8, 120)
                .withLongTasks(2, 70, 110).withCallRateLimit(0).withPoison(3, EnumSet.allOf(PoisonKind.class)));
        OperatorFiles operator = new OperatorFiles(kafka.bootstrapServers(), REGISTRY.url(), dir.resolve("operator"));
        operator.applyPrices();
        operator.applyBudgets(plan);

        try (StreamsApp first = metering(kafka, "m1"); StreamsApp second = metering(kafka, "m2"); StreamsApp alerting = alerting(kafka)) {
            first.start();
            second.start();
            alerting.start();
            Awaitility.await("apps RUNNING").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> List.of(first, second, alerting).stream().allMatch(a -> a.streams().state() == KafkaStreams.State.RUNNING));

            phase("apps running");
            Instant runStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            SentLog sent;
            try (WorkloadDriver driver = new WorkloadDriver(plan, new WorkloadDriver.Topics(TOPICS.usage(), TOPICS.taskOutcomes(),
                    TOPICS.ledger()), runStart, kafka.bootstrapServers(), REGISTRY.url())) {
                driver.prepare();
                driver.run(System.nanoTime());
                sent = driver.sent();
            }
            assertThat(sent.callsAcked()).isEqualTo(plan.calls().size());
            phase("workload sent");
            settle(kafka);
            phase("settled");

            Expectations expected = Oracle.expect(plan, runStart, sent::isCallAcked, sent::isOutcomeAcked, sent.ackedPoison());
            Sources sources = new Sources(kafka.bootstrapServers(), REGISTRY.url(), new Sources.Topics(TOPICS.ledger(),
                    TOPICS.usageDlq(), TOPICS.alerts(), TOPICS.control(), TOPICS.usage()),
                    List.of("http://127.0.0.1:" + first.httpPort(), "http://127.0.0.1:" + second.httpPort()), Optional.empty(),
                    true, 10_000);
            CheckReport report = new Checker(sources).check(expected);

            phase("checked");
            assertThat(report.problems()).isEmpty();
            assertThat(report.passed()).isTrue();
            assertThat(report.eventStores().get(0).rowsRead()).isEqualTo(plan.calls().size());
            assertThat(report.deadLetters().read()).isEqualTo(plan.poison().size());
            assertThat(expected.alerts()).extracting(a -> a.rule() + " " + a.threshold())
                    .contains("budget_cap DAY-50", "budget_cap DAY-70", "budget_cap DAY-100", "task_loop K8");
        }
    }

    private static final long STARTED = System.nanoTime();

    private static void phase(String what) {
        System.out.printf("OracleAgainstMeteringIT: %s after %d ms%n", what, (System.nanoTime() - STARTED) / 1_000_000);
    }

    private static void createTopics(KafkaCluster kafka) {
        for (String topic : List.of(TOPICS.usage(), TOPICS.taskOutcomes(), TOPICS.ledger(), TOPICS.rollups(),
                TOPICS.priceCorrections(), TOPICS.ledgerCorrections())) {
            kafka.createTopic(topic, 4);
        }
        for (String topic : List.of(TOPICS.usageDlq(), TOPICS.alerts())) {
            kafka.createTopic(topic, 1);
        }
        for (String topic : List.of(TOPICS.prices(), TOPICS.budgets(), TOPICS.control())) {
            kafka.createTopic(topic, 1, Map.of("cleanup.policy", "compact"));
        }
    }

    /** Until both apps have committed everything there is (inputs and repartitions), and then a little longer. */
    private static void settle(KafkaCluster kafka) {
        ConsumerLag lag = new ConsumerLag(kafka.admin());
        Awaitility.await("metering and alerting caught up").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> lag.total(METERING_GROUP) == 0 && lag.total(ALERTING_GROUP) == 0);
        // Rollups are flushed each second by wall clock and alerting reads them: wait for a quiet moment after that.
        Awaitility.await("a quiet pipeline").pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> lag.total(METERING_GROUP) == 0 && lag.total(ALERTING_GROUP) == 0);
    }

    private StreamsApp metering(KafkaCluster kafka, String instance) {
        Map<String, String> config = new HashMap<>(MeteringApp.defaults());
        common(config, kafka, METERING_GROUP, instance);
        return MeteringApp.create(AppConfig.of(MeteringApp.APP_NAME, config));
    }

    private StreamsApp alerting(KafkaCluster kafka) {
        Map<String, String> config = new HashMap<>(AlertingApp.defaults());
        common(config, kafka, ALERTING_GROUP, "a1");
        // The workload packs its long tasks into a few seconds here; the campaign spreads them under this limit.
        config.put("rate.calls.per.minute", "100000");
        // alerting ships no kill-switch key: a pair of this run's own
        ControlKeyPair keys = ControlKeyPair.generate("campaign-it");
        config.put(AlertingApp.CONTROL_SIGNING_KEY, keys.signingKeyText());
        config.put(AlertingApp.CONTROL_VERIFY_KEYS, keys.verifyKeyText());
        return AlertingApp.create(AppConfig.of(AlertingApp.APP_NAME, config));
    }

    private void common(Map<String, String> config, KafkaCluster kafka, String applicationId, String instance) {
        config.put("application.id", applicationId);
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.put("schema.registry.url", REGISTRY.url());
        config.put("http.host", "127.0.0.1");
        config.put("http.port", "0");
        config.put("application.server", "127.0.0.1:0");
        config.put("state.dir", dir.resolve("state").resolve(instance).toString());
        config.put("streams.replication.factor", "1");
    }
}
