package dev.costmeter.faults.campaign;

import dev.costmeter.cli.Costctl;
import dev.costmeter.faults.price.CampaignPrices;
import dev.costmeter.faults.workload.CampaignBudgets;
import dev.costmeter.faults.workload.WorkloadPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the campaign's price catalog and budgets file and applies them with costctl, in this JVM,
 * exactly as an operator would from the command line.
 */
public final class OperatorFiles {

    private final String bootstrapServers;
    private final String registryUrl;
    private final Path dir;

    public OperatorFiles(String bootstrapServers, String registryUrl, Path dir) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.dir = dir;
    }

    public void applyPrices() throws IOException {
        costctl("prices", write("prices.yaml", CampaignPrices.catalogYaml()));
    }

    public void applyBudgets(WorkloadPlan plan) throws IOException {
        costctl("budgets", write("budgets.yaml", CampaignBudgets.yaml(plan)), "--operator", "fault-campaign");
    }

    private Path write(String name, String text) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private void costctl(String what, Path file, String... extra) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", bootstrapServers, "--schema-registry-url", registryUrl,
                what, "apply", file.toString()));
        args.addAll(List.of(extra));
        int exit = Costctl.commandLine(new Costctl()).execute(args.toArray(String[]::new));
        if (exit != 0) {
            throw new IllegalStateException("costctl " + what + " apply " + file + " failed with exit code " + exit);
        }
    }
}
