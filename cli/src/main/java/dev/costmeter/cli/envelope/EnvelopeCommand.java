package dev.costmeter.cli.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import dev.costmeter.cli.metering.SpendCommand.Dimension;
import dev.costmeter.cli.money.Money;
import dev.costmeter.cli.render.Table;
import dev.costmeter.cli.render.Table.Align;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code costctl envelope}: where a month's spend of one scope is heading. metering-stream computes
 * it ({@code /v1/envelope}, with {@code pricing}'s {@code MonthlyEnvelope}, the rule PostgreSQL's
 * {@code monthly_projection} applies too); this command asks and prints, so there is no second copy
 * of the arithmetic.
 */
@Command(name = "envelope",
        mixinStandardHelpOptions = true,
        description = {
            "Project a month's spend of one scope (UTC) from its days so far: best, base and worst case, from metering-stream.",
            "n = days elapsed (the 1st to --through; days without spend count as 0), r = days left, S = spent,",
            "W = its waste (retried calls), P = the dearest day: base = S + r x S / n; worst = S + r x P;",
            "best = S + r x (S - W) / n. Exact integer nano-USD, each fraction rounded half-up once.",
            "--dimension and --scope are required: metering-stream keeps no list of tenants to sum 'all' over."})
public final class EnvelopeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dimension", required = true, paramLabel = "tenant|route|model|task_class|prompt_version",
            description = "What the scope is.")
    Dimension dimension;

    @Option(names = "--scope", required = true, paramLabel = "<scope>", description = "e.g. acme for a tenant.")
    String scope;

    @Option(names = "--month", paramLabel = "YYYY-MM", description = "The UTC month (default: this month).")
    String month;

    @Option(names = "--through", paramLabel = "YYYY-MM-DD",
            description = "The last day counted (default: today for this month, the month's last day for a past one).")
    String through;

    @Override
    public Integer call() {
        Costctl costctl = Costctl.root(spec);
        YearMonth which = month == null ? YearMonth.from(costctl.clock().instant().atZone(ZoneOffset.UTC)) : parseMonth(month);
        LocalDate last = through == null ? null : parseDay(through);
        JsonNode answer = costctl.meteringClient().envelope(dimension.name().toLowerCase(Locale.ROOT), scope, which, last);
        PrintWriter out = spec.commandLine().getOut();
        out.print(costctl.output() == Output.JSON ? Json.pretty(answer) : table(answer));
        out.flush();
        return ExitCodes.OK;
    }

    static String table(JsonNode e) {
        StringBuilder text = new StringBuilder();
        text.append(e.path("dimension").asText()).append(' ').append(e.path("scope").asText()).append(", ")
                .append(e.path("month").asText()).append(" (UTC) through ").append(e.path("through").asText()).append(": ")
                .append(e.path("days_elapsed").asInt()).append(" of ").append(e.path("days_in_month").asInt())
                .append(" days elapsed, ").append(e.path("days_left").asInt()).append(" left\n");
        text.append("spent ").append(Money.format(nanos(e, "spent_nanos"))).append(", of which waste (retried calls) ")
                .append(Money.format(nanos(e, "waste_nanos"))).append("; dearest day ")
                .append(Money.format(nanos(e, "dearest_day_nanos"))).append('\n');
        Table table = new Table().column("CASE", Align.LEFT).column("MONTH_TOTAL", Align.RIGHT).column("RULE", Align.LEFT);
        table.row("best", Money.format(nanos(e, "best_nanos")), "S + r x (S - W) / n: the mean day without its waste");
        table.row("base", Money.format(nanos(e, "base_nanos")), "S + r x S / n: the mean day");
        table.row("worst", Money.format(nanos(e, "worst_nanos")), "S + r x P: every day left as dear as the dearest");
        return text.append(table.render()).toString();
    }

    private static long nanos(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw CostctlException.failed("metering-stream sent " + field + "=" + value + ", not a whole number");
        }
        return value.asLong();
    }

    private YearMonth parseMonth(String text) {
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--month must be YYYY-MM, not '" + text + "'");
        }
    }

    private LocalDate parseDay(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--through must be YYYY-MM-DD, not '" + text + "'");
        }
    }
}
