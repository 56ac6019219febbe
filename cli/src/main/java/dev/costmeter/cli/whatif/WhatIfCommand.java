package dev.costmeter.cli.whatif;

import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import dev.costmeter.cli.kafka.CompactedTopic;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.pricing.PriceBook;
import dev.costmeter.pricing.scenario.Scenario;
import dev.costmeter.pricing.scenario.ScenarioPricer;
import dev.costmeter.schemas.topics.TopicNames;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code costctl whatif}: reprices a past period of the ledger under a scenario and compares it with
 * what it cost, read-only (nothing is written to any topic).
 */
@Command(name = "whatif",
        mixinStandardHelpOptions = true,
        description = {
            "Reprice the ledgered calls of a period under a scenario and compare with",
            "what they cost: calls, cost, successful tasks and cost per successful task,",
            "base against scenario, with the assumptions stated. Reads the ledger, the",
            "applied corrections and the task outcomes from the period's start (committed",
            "records only) and the prices topic; writes nothing. Scenarios combine:",
            "--model (with --success-rate or the rate observed for that model on the",
            "task_class), --batch, --cache-hit-rate, --max-output-tokens."})
public final class WhatIfCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(WhatIfCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "<instant|YYYY-MM-DD>", converter = PeriodBound.class,
            description = "Start of the period (inclusive), an ISO-8601 instant or a UTC day.")
    Instant from;

    @Option(names = "--to", required = true, paramLabel = "<instant|YYYY-MM-DD>", converter = PeriodBound.class,
            description = "End of the period (exclusive), an ISO-8601 instant or a UTC day (its start).")
    Instant to;

    @Option(names = "--tenant", paramLabel = "<tenant>", description = "Only this tenant's calls.")
    String tenant;

    @Option(names = "--route", paramLabel = "<route>", description = "Only this route's calls.")
    String route;

    @Option(names = "--task-class", paramLabel = "<task_class>", description = "Only this kind of work.")
    String taskClass;

    @Option(names = "--model", paramLabel = "PROVIDER/MODEL",
            description = "Move the selected calls (needs --task-class or --route) to this model, each priced with"
                    + " its price in force at the call's time.")
    String model;

    @Option(names = "--success-rate", paramLabel = "R",
            description = "The scenario's success rate, a share from 0 to 1 (default with --model: the rate observed"
                    + " for that model on each task_class in the period; without: unchanged).")
    String successRate;

    @Option(names = "--batch", description = "Send the selected non-interactive calls through batch (batch rates).")
    boolean batch;

    @Option(names = "--non-interactive-label", paramLabel = "KEY=VALUE",
            description = "With --batch: only calls carrying this label are non-interactive (default: every selected call).")
    String nonInteractiveLabel;

    @Option(names = "--cache-hit-rate", paramLabel = "R",
            description = "Share of each call's prompt tokens read from the prompt cache, from 0 to 1.")
    String cacheHitRate;

    @Option(names = "--max-output-tokens", paramLabel = "N", description = "Cap every call's output tokens at N (at least 1).")
    Long maxOutputTokens;

    @Override
    public Integer call() {
        Selection selection = selection();
        Scenario scenario = scenario();
        BigDecimal rate = successRate == null ? null : share("--success-rate", successRate);
        Costctl costctl = Costctl.root(spec);
        TopicNames topics = TopicNames.from(topicKeys(costctl));

        Map<String, PriceEntry> prices = new CompactedTopic<>(costctl.connection(), topics.prices(), PriceEntry.class).latest();
        if (scenario.changesModel() && !prices.containsKey(scenario.modelKey())) {
            throw CostctlException.failed("unknown model " + scenario.modelKey() + ": no price for it on topic "
                    + topics.prices() + " (costctl prices list shows the models priced)");
        }
        PeriodLedger.Read read = new PeriodLedger(costctl.connection(), topics).read(selection);
        if (read.selected().isEmpty()) {
            throw CostctlException.failed("no ledgered call from " + selection.from() + " to " + selection.to() + " ("
                    + selection.describe() + ") on topic " + topics.ledger() + ": nothing to compare"
                    + (read.incomplete().contains(topics.ledger())
                            ? " (the topic no longer holds its oldest records: retention deleted them)" : ""));
        }
        Map<String, PriceBook> books = new HashMap<>();
        ScenarioPricer pricer = new ScenarioPricer(scenario, key -> {
            PriceEntry entry = prices.get(key);
            return entry == null ? null : books.computeIfAbsent(key, k -> PriceBook.of(entry));
        });
        WhatIfResult result;
        try {
            result = WhatIf.compare(read.selected(), read.outcomes(), read.observations(), scenario, rate, pricer);
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw CostctlException.failed("cannot reprice the period: " + e.getMessage(), e);
        }
        log.debug("whatif {} over {} selected calls: base {} nano-USD, scenario {} nano-USD", scenario,
                result.selectedCalls(), result.base().costNanos(), result.scenario().costNanos());
        PrintWriter out = spec.commandLine().getOut();
        out.print(costctl.output() == Output.JSON ? Json.pretty(WhatIfView.json(selection, scenario, rate, result, read.incomplete()))
                : WhatIfView.table(selection, scenario, result, read.incomplete()));
        out.flush();
        return ExitCodes.OK;
    }

    private Selection selection() {
        try {
            return new Selection(from, to, blankIsUsage("--tenant", tenant), blankIsUsage("--route", route),
                    blankIsUsage("--task-class", taskClass));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private Scenario scenario() {
        Scenario scenario = Scenario.none();
        try {
            if (model != null) {
                int slash = model.indexOf('/');
                if (slash <= 0 || slash == model.length() - 1) {
                    throw usage("--model must be PROVIDER/MODEL, such as openai/gpt-4o-mini, not \"" + model + "\"");
                }
                if (taskClass == null && route == null) {
                    throw usage("--model moves a kind of work or a route: give --task-class or --route");
                }
                scenario = scenario.withModel(model.substring(0, slash), model.substring(slash + 1));
            }
            if (nonInteractiveLabel != null && !batch) {
                throw usage("--non-interactive-label only applies with --batch");
            }
            if (batch) {
                scenario = scenario.withBatch(nonInteractiveLabel == null ? null : Scenario.Label.parse(nonInteractiveLabel));
            }
            if (cacheHitRate != null) {
                scenario = scenario.withCacheHitRate(share("--cache-hit-rate", cacheHitRate));
            }
            if (maxOutputTokens != null) {
                scenario = scenario.withMaxOutputTokens(maxOutputTokens);
            }
        } catch (IllegalArgumentException e) {
            throw usage("invalid scenario: " + e.getMessage());
        }
        if (scenario.isEmpty()) {
            throw usage("no scenario: give at least one of --model, --batch, --cache-hit-rate, --max-output-tokens");
        }
        return scenario;
    }

    /** A share from 0 to 1, read exactly as a decimal. */
    private BigDecimal share(String option, String text) {
        BigDecimal value;
        try {
            value = new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw usage(option + " must be a decimal share from 0 to 1, such as 0.85, not \"" + text + "\"");
        }
        if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0) {
            throw usage(option + " must be a share from 0 to 1, such as 0.85, not " + text.strip());
        }
        return value;
    }

    private String blankIsUsage(String option, String value) {
        if (value != null && value.isBlank()) {
            throw usage(option + " must not be blank");
        }
        return value;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** The topic keys of costctl's configuration, prices included (its --topic-prices flag). */
    private static Map<String, String> topicKeys(Costctl costctl) {
        Map<String, String> keys = new LinkedHashMap<>(costctl.settings().values());
        keys.put(TopicNames.Logical.PRICES.configKey(), costctl.kafka().pricesTopic());
        return keys;
    }
}
