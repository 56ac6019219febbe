package dev.costmeter.faults.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.alerting.AlertingApp;
import dev.costmeter.faults.campaign.Campaign;
import dev.costmeter.faults.campaign.CampaignPlan;
import dev.costmeter.faults.campaign.LocalStackCluster;
import dev.costmeter.faults.cluster.Cluster;
import dev.costmeter.faults.schedule.FaultKind;
import dev.costmeter.faults.schedule.FaultSchedule;
import dev.costmeter.faults.schedule.ScheduleOptions;
import dev.costmeter.faults.workload.PoisonKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault campaign's short variant, run by {@code ./mvnw verify}: the real pipeline as separate
 * processes (3 brokers with a 3-voter quorum, 2 metering and 2 alerting instances, the registry,
 * Kafka Connect, PostgreSQL) under a seeded workload with duplicates, retries, late events, outcomes,
 * runaways, a capped tenant and every kind of bad record (a pre-1970 event and one whose cost
 * overflows a long among them), while four faults strike: a broker killed with SIGKILL, a metering
 * instance killed mid-transaction, a metering instance paused past its session timeout (a zombie to
 * fence), and a registry outage with an app restarted inside it. Every store must equal the oracle:
 * nothing lost, nothing charged twice, nothing charged wrong, each bad record dead-lettered once.
 * The full campaign (20 faults, 300,000 events) is {@code fault-campaign/run}.
 */
class ShortCampaignIT {

    private static final long SEED = 13;
    private static final int CALLS = 3_000;

    @TempDir
    Path dir;

    @Test
    void shouldChargeEveryCallExactlyOnceThroughABrokerKillAMeteringKillAZombieAndARegistryOutage() throws Exception {
        ScheduleOptions options = new ScheduleOptions(3, Duration.ofSeconds(15), Duration.ofSeconds(15),
                Duration.ofSeconds(15), Duration.ofSeconds(15));
        FaultSchedule schedule = FaultSchedule.of(SEED, List.of(FaultKind.BROKER_KILL, FaultKind.METERING_KILL,
                FaultKind.METERING_ZOMBIE, FaultKind.REGISTRY_OUTAGE), options);
        CampaignPlan plan = CampaignPlan.of(schedule, CALLS, null,
                Integer.parseInt(AlertingApp.defaults().get("loop.repeat.limit")),
                Integer.parseInt(AlertingApp.defaults().get("rate.calls.per.minute")));
        assertThat(plan.workload().poison()).extracting(p -> p.kind())
                .contains(PoisonKind.BEFORE_1970, PoisonKind.COST_OVERFLOW);
        Path report = dir.resolve("campaign-short.md");
        Campaign campaign = new Campaign(plan, new Campaign.Settings(dir.resolve("campaign"), report, 500,
                Duration.ofSeconds(10), Duration.ofMinutes(5)));

        boolean passed;
        try (Cluster cluster = LocalStackCluster.start(dir.resolve("cluster"), 3, 2, 2)) {
            passed = campaign.run(cluster, "3 brokers, 2 metering and 2 alerting instances, schema registry,"
                    + " Kafka Connect, PostgreSQL");
        }

        assertThat(passed).as("every store checked out; the report:%n%s", Files.readString(report)).isTrue();
    }
}
