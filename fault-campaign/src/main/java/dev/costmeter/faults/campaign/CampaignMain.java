package dev.costmeter.faults.campaign;

import dev.costmeter.alerting.AlertingApp;
import dev.costmeter.faults.cluster.Cluster;
import dev.costmeter.faults.schedule.ScheduleOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code fault-campaign/run}: starts a local cluster (3 brokers, 2 metering and 2 alerting instances,
 * the registry, Connect, PostgreSQL), runs the seeded workload and fault schedule on it, settles, checks
 * every store and prints the report. Exit 0 when every store checked out, 1 on any loss, double charge or
 * wrong amount, 2 on a usage error, 3 when the campaign could not run.
 */
@Command(name = "fault-campaign/run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the fault campaign: a seeded workload with its own cost oracle under a seeded fault schedule,"
                + " then check every store.")
public final class CampaignMain implements Callable<Integer> {

    @Option(names = "--seed", description = "Seed of the workload and of the schedule (default: ${DEFAULT-VALUE}).")
    long seed = 7;

    @Option(names = "--events", description = "Calls to send, retries included, re-sends not (default: ${DEFAULT-VALUE}).")
    int events = 300_000;

    @Option(names = "--faults", description = "Faults to inject (default: ${DEFAULT-VALUE}).")
    int faults = 20;

    @Option(names = "--rate", description = "Calls per second; default: spread the calls over the schedule.")
    Long rate;

    @Option(names = "--brokers", description = "Kafka brokers (default: ${DEFAULT-VALUE}).")
    int brokers = 3;

    @Option(names = "--metering", description = "metering-stream instances (default: ${DEFAULT-VALUE}).")
    int metering = 2;

    @Option(names = "--alerting", description = "alerting-stream instances (default: ${DEFAULT-VALUE}).")
    int alerting = 2;

    @Option(names = "--recovery-seconds", description = "Least time between one fault's end and the next (default: ${DEFAULT-VALUE}).")
    int recoverySeconds = 30;

    @Option(names = "--zombie-pause-seconds",
            description = "How long a paused instance stays stopped; past metering's session timeout (default: ${DEFAULT-VALUE}).")
    int zombiePauseSeconds = 25;

    @Option(names = "--task-sample", description = "Tasks to ask the query API for (default: ${DEFAULT-VALUE}).")
    int taskSample = 3_000;

    @Option(names = "--quiet-seconds", description = "How long every lag must stay 0 before the check (default: ${DEFAULT-VALUE}).")
    int quietSeconds = 15;

    @Option(names = "--data-dir", description = "Where the cluster keeps its data; must be empty or absent (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("fault-campaign/target/campaign-data");

    @Option(names = "--report", description = "Markdown report (default: fault-campaign/target/campaign-seed<seed>.md).")
    Path report;

    @Option(names = "--dry-run", description = "Print the schedule and the workload, start nothing.")
    boolean dryRun;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CampaignMain()).setExitCodeExceptionMapper(e -> 3).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int loopLimit = Integer.parseInt(AlertingApp.defaults().get("loop.repeat.limit"));
        int callsPerMinute = Integer.parseInt(AlertingApp.defaults().get("rate.calls.per.minute"));
        ScheduleOptions options = new ScheduleOptions(brokers, Duration.ofSeconds(30), Duration.ofSeconds(recoverySeconds),
                Duration.ofSeconds(zombiePauseSeconds), Duration.ofSeconds(30));
        CampaignPlan plan;
        try {
            plan = CampaignPlan.of(seed, events, faults, rate, options, loopLimit, callsPerMinute);
        } catch (IllegalArgumentException e) {
            System.err.println("fault-campaign: " + e.getMessage());
            return 2;
        }
        System.out.println("Fault campaign, seed " + seed + ": " + plan.schedule().faults().size() + " faults over "
                + plan.schedule().lengthMs() / 1_000 + " s\n\n" + plan.schedule().render() + "\n" + plan.summary() + "\n");
        if (dryRun) {
            return 0;
        }
        if (Files.isDirectory(dataDir)) {
            try (Stream<Path> entries = Files.list(dataDir)) {
                if (entries.findAny().isPresent()) {
                    System.err.println("fault-campaign: " + dataDir + " is not empty; a campaign starts a fresh cluster");
                    return 2;
                }
            }
        }
        Path reportFile = report != null ? report : Path.of("fault-campaign/target/campaign-seed" + seed + ".md");
        Campaign campaign = new Campaign(plan, new Campaign.Settings(dataDir.resolve("campaign"), reportFile, taskSample,
                Duration.ofSeconds(quietSeconds), Duration.ofMinutes(15)));
        String shape = brokers + " brokers, " + metering + " metering and " + alerting
                + " alerting instances, schema registry, Kafka Connect, PostgreSQL";
        try (Cluster cluster = LocalStackCluster.start(dataDir.resolve("cluster"), brokers, metering, alerting)) {
            return campaign.run(cluster, shape) ? 0 : 1;
        }
    }
}
