package dev.costmeter.faults.campaign;

import dev.costmeter.faults.check.CheckReport;
import dev.costmeter.faults.check.Checker;
import dev.costmeter.faults.check.PostgresLedger;
import dev.costmeter.faults.check.Sources;
import dev.costmeter.faults.cluster.Cluster;
import dev.costmeter.faults.cluster.FaultInjector;
import dev.costmeter.faults.cluster.FaultRecord;
import dev.costmeter.faults.cluster.LagSample;
import dev.costmeter.faults.cluster.LagSampler;
import dev.costmeter.faults.oracle.Expectations;
import dev.costmeter.faults.oracle.Oracle;
import dev.costmeter.faults.workload.WorkloadDriver;
import dev.costmeter.schemas.topics.TopicNames;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One campaign on a running cluster: apply the campaign's prices and budgets, send the workload while
 * the schedule injects its faults, let the pipeline settle, check every store against the oracle and
 * report.
 */
public final class Campaign {

    private static final Logger log = LoggerFactory.getLogger(Campaign.class);
    private static final TopicNames TOPICS = TopicNames.defaults();
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(500);

    /**
     * @param quiet how long every lag must stay 0 before the check
     */
    public record Settings(Path workDir, Path report, int taskSample, Duration quiet, Duration settleTimeout) {
    }

    private final CampaignPlan plan;
    private final Settings settings;

    public Campaign(CampaignPlan plan, Settings settings) {
        this.plan = plan;
        this.settings = settings;
    }

    /** Runs the campaign; true when every store checked out. */
    public boolean run(Cluster cluster, String clusterDescription) throws Exception {
        OperatorFiles operator = new OperatorFiles(cluster.bootstrapServers(), cluster.registryUrl(),
                settings.workDir().resolve("operator"));
        operator.applyPrices();
        operator.applyBudgets(plan.workload());
        Cluster.Postgres pg = cluster.postgres();
        PostgresLedger postgres = new PostgresLedger(pg.jdbcUrl(), pg.user(), pg.password(), pg.schema());

        Instant runStart = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
        long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runStart.toEpochMilli() - System.currentTimeMillis());
        List<FaultRecord> records;
        double loadAtStart;
        try (WorkloadDriver driver = new WorkloadDriver(plan.workload(), new WorkloadDriver.Topics(TOPICS.usage(),
                TOPICS.taskOutcomes(), TOPICS.ledger()), runStart, cluster.bootstrapServers(), cluster.registryUrl());
                LagSampler sampler = new LagSampler(cluster.bootstrapServers(), cluster.meteringGroup(), TOPICS.usage(),
                        SAMPLE_EVERY)) {
            driver.prepare();
            sampler.start();
            loadAtStart = load();
            CompletableFuture<Void> workload = CompletableFuture.runAsync(() -> {
                try {
                    driver.run(startNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                records = new FaultInjector(cluster, sampler::sampleNow, driver::requestBurst).run(plan.schedule(), startNanos);
                workload.get();
            } catch (Exception | Error e) {
                driver.stop();
                throw e;
            }
            long workloadMs = System.currentTimeMillis() - runStart.toEpochMilli();
            log.info("Workload and schedule done; waiting for the cluster to settle");
            cluster.awaitHealthy(Duration.ofMinutes(5));
            Settle.Result settled = Settle.await(cluster.bootstrapServers(), postgres, settings.quiet(), settings.settleTimeout());

            Expectations expected = Oracle.expect(plan.workload(), runStart, driver.sent()::isCallAcked,
                    driver.sent()::isOutcomeAcked, driver.sent().ackedPoison());
            Sources sources = new Sources(cluster.bootstrapServers(), cluster.registryUrl(), new Sources.Topics(TOPICS.ledger(),
                    TOPICS.usageDlq(), TOPICS.alerts(), TOPICS.control(), TOPICS.usage()), cluster.meteringUrls(),
                    Optional.of(postgres), true, settings.taskSample());
            double loadAtEnd = load();
            CheckReport check = new Checker(sources).check(expected);
            RunFacts facts = new RunFacts(plan.schedule().seed(), plan.workload().calls().size(), plan.schedule().faults().size(),
                    plan.ratePerSecond(), runStart, workloadMs, settled.waited().toMillis(), settled.settled() ? null : settled.state(),
                    loadAtStart, loadAtEnd, Runtime.getRuntime().availableProcessors(), clusterDescription);
            String report = CampaignReport.render(facts, plan.workload(), plan.schedule(), records, sampler.samples(),
                    driver.sent(), expected, check);
            write(report);
            writeLagSamples(sampler.samples(), runStart);
            System.out.println(report);
            return check.passed();
        }
    }

    private void write(String report) throws IOException {
        Path file = settings.report();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, report);
        log.info("Report written to {}", file);
    }

    /** metering's usage lag over the run, for a closer look at recoveries: seconds from the start, lag, committed offsets. */
    private void writeLagSamples(List<LagSample> samples, Instant runStart) throws IOException {
        StringBuilder csv = new StringBuilder("seconds,lag,committed\n");
        for (LagSample sample : samples) {
            csv.append(String.format(Locale.ROOT, "%.1f", (sample.atMs() - runStart.toEpochMilli()) / 1000.0))
                    .append(',').append(sample.lag()).append(',')
                    .append(new TreeMap<>(sample.committed()).values().stream().map(String::valueOf)
                            .collect(Collectors.joining(" "))).append('\n');
        }
        String name = settings.report().getFileName().toString().replaceFirst("\\.md$", "") + "-lag.csv";
        Files.writeString(settings.report().resolveSibling(name), csv);
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
