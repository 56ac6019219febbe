package dev.costmeter.cli.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import dev.costmeter.cli.render.Table;
import dev.costmeter.cli.render.Table.Align;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code costctl status}: every component's health with its address. The checks run at once, so a
 * dead component costs one --timeout, not one per check. Exit 0 when all are healthy, 1 otherwise.
 */
@Command(name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Check every component: Kafka, the schema registry, metering-stream, alerting-stream (readiness and the lag",
            "of their consumer groups), Kafka Connect and each connector with its tasks, PostgreSQL as the ledger sink",
            "sees it, and the number of kill switches in force. Exit 0 when all are healthy, 1 when any is not."})
public final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--alerting-url", paramLabel = "<url>", defaultValue = "${env:COSTMETER_ALERTING_URL:-http://localhost:8091}",
            description = "alerting-stream's HTTP port (env COSTMETER_ALERTING_URL; default: ${DEFAULT-VALUE}).")
    String alertingUrl;

    @Option(names = "--connect-url", paramLabel = "<url>", defaultValue = "${env:COSTMETER_CONNECT_URL:-http://localhost:8083}",
            description = "Kafka Connect's REST API (env COSTMETER_CONNECT_URL; default: ${DEFAULT-VALUE}).")
    String connectUrl;

    @Option(names = "--metering-group", paramLabel = "<application.id>", defaultValue = "costmeter-metering",
            description = "metering-stream's application.id (default: ${DEFAULT-VALUE}).")
    String meteringGroup;

    @Option(names = "--alerting-group", paramLabel = "<application.id>", defaultValue = "costmeter-alerting",
            description = "alerting-stream's application.id (default: ${DEFAULT-VALUE}).")
    String alertingGroup;

    @Option(names = "--max-lag", paramLabel = "<records>", defaultValue = "10000",
            description = "A stream app further behind than this is unhealthy (default: ${DEFAULT-VALUE}).")
    long maxLag;

    @Override
    public Integer call() {
        Costctl costctl = Costctl.root(spec);
        Instant now = costctl.clock().instant();
        ServiceChecks services = new ServiceChecks(new HttpProbe(costctl.timeout()));
        List<Check> checks = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "costctl-status");
            thread.setDaemon(true);
            return thread;
        });
        try (KafkaChecks kafka = new KafkaChecks(costctl.connection())) {
            List<CompletableFuture<List<Check>>> running = List.of(
                    one(pool, kafka::cluster),
                    one(pool, () -> services.registry(costctl.schemaRegistryUrl())),
                    one(pool, () -> services.ready("metering-stream", costctl.meteringUrl())),
                    one(pool, () -> kafka.lag("metering-stream lag", meteringGroup, maxLag)),
                    one(pool, () -> services.ready("alerting-stream", alertingUrl)),
                    one(pool, () -> kafka.lag("alerting-stream lag", alertingGroup, maxLag)),
                    CompletableFuture.supplyAsync(() -> services.connect(connectUrl), pool),
                    one(pool, () -> kafka.activeSwitches(costctl.controlTopic(), now)));
            running.forEach(future -> checks.addAll(future.join()));
        } finally {
            pool.shutdownNow();
        }
        boolean healthy = checks.stream().allMatch(Check::healthy);
        PrintWriter out = spec.commandLine().getOut();
        out.print(costctl.output() == Output.JSON ? Json.pretty(json(checks, healthy)) : table(checks, healthy));
        out.flush();
        return healthy ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static CompletableFuture<List<Check>> one(ExecutorService pool, Supplier<Check> check) {
        return CompletableFuture.supplyAsync(() -> List.of(check.get()), pool);
    }

    static String table(List<Check> checks, boolean healthy) {
        Table table = new Table().column("COMPONENT", Align.LEFT).column("ADDRESS", Align.LEFT).column("STATE", Align.LEFT)
                .column("DETAIL", Align.LEFT);
        checks.forEach(c -> table.row(c.component(), c.address(), c.healthy() ? "ok" : "UNHEALTHY", c.detail()));
        long bad = checks.stream().filter(c -> !c.healthy()).count();
        return table.render() + (healthy ? "All " + checks.size() + " checks healthy.\n" : bad + " of " + checks.size()
                + " checks unhealthy.\n");
    }

    static ObjectNode json(List<Check> checks, boolean healthy) {
        ObjectNode json = Json.object().put("healthy", healthy);
        ArrayNode list = json.putArray("checks");
        checks.forEach(c -> list.addObject().put("component", c.component()).put("address", c.address())
                .put("healthy", c.healthy()).put("detail", c.detail()));
        return json;
    }
}
