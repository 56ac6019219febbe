package dev.costmeter.cli.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code costctl envelope}: where this month's spend of one scope is heading. */
@Command(name = "envelope",
        mixinStandardHelpOptions = true,
        description = {
            "Project a month's spend of one scope (UTC) from the days so far: best, base and worst case.",
            "S = spent so far (complete days + today); r = time left in the month, in days (the rest of today as a fraction).",
            "base = S + r x mean complete day; best = S + r x lowest day;",
            "worst = S + r x highest day (the 90th percentile day once there are 10 complete days).",
            "Exact integer nano-USD, rounded half-up once.",
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

    @Override
    public Integer call() {
        Costctl costctl = Costctl.root(spec);
        Instant now = costctl.clock().instant();
        YearMonth which = month == null ? YearMonth.from(now.atZone(ZoneOffset.UTC)) : parseMonth(month);
        Instant start = which.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = which.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (now.isBefore(start)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--month " + which + " has not started yet");
        }
        Instant to = now.isBefore(end) ? now : end;
        Map<LocalDate, Long> daily = to.isAfter(start) ? dailySpend(costctl, start, to) : Map.of();
        Envelope envelope = Envelope.project(which, now, daily);
        PrintWriter out = spec.commandLine().getOut();
        String dimensionName = dimension.name().toLowerCase(Locale.ROOT);
        out.print(costctl.output() == Output.JSON ? Json.pretty(json(envelope, dimensionName)) : table(envelope, dimensionName));
        out.flush();
        return ExitCodes.OK;
    }

    private Map<LocalDate, Long> dailySpend(Costctl costctl, Instant from, Instant to) {
        JsonNode answer = costctl.meteringClient().spend(dimension.name().toLowerCase(Locale.ROOT), scope, from, to, "day");
        Map<LocalDate, Long> daily = new HashMap<>();
        for (JsonNode window : answer.path("windows")) {
            JsonNode cost = window.get("cost_nanos");
            if (cost == null || !cost.isIntegralNumber() || !cost.canConvertToLong()) {
                throw CostctlException.failed("metering-stream sent cost_nanos=" + cost + ", not a whole number");
            }
            LocalDate day = LocalDate.ofInstant(Instant.parse(window.path("window_start").asText()), ZoneOffset.UTC);
            daily.merge(day, cost.asLong(), Math::addExact);
        }
        return daily;
    }

    private String table(Envelope e, String dimensionName) {
        StringBuilder text = new StringBuilder();
        text.append(dimensionName).append(' ').append(scope).append(", ").append(e.month()).append(" (UTC), as of ")
                .append(e.asOf()).append('\n');
        text.append("spent so far ").append(Money.format(e.spentNanos())).append(" over ").append(e.completeDays().size())
                .append(" complete day(s) + ").append(Money.format(e.todayNanos())).append(" today; ")
                .append(days(e.remainingMillis())).append(" day(s) left\n");
        if (e.baseNanos() == null) {
            return text.append("No complete day yet this month: no daily rate to project from.\n").toString();
        }
        Table table = new Table().column("CASE", Align.LEFT).column("DAILY_RATE", Align.RIGHT).column("BASIS", Align.LEFT)
                .column("MONTH_TOTAL", Align.RIGHT);
        table.row("best", Money.format(java.util.Collections.min(e.completeDays())), "lowest day", Money.format(e.bestNanos()));
        table.row("base", Money.format(e.meanDailyNanos()), "mean day", Money.format(e.baseNanos()));
        table.row("worst", Money.format(e.worstDailyNanos()), "p90".equals(e.worstBasis()) ? "90th percentile day" : "highest day",
                Money.format(e.worstNanos()));
        return text.append(table.render()).toString();
    }

    private ObjectNode json(Envelope e, String dimensionName) {
        ObjectNode json = Json.object()
                .put("dimension", dimensionName)
                .put("scope", scope)
                .put("month", e.month().toString())
                .put("as_of", e.asOf().toString())
                .put("spent_nanos", e.spentNanos())
                .put("today_nanos", e.todayNanos())
                .put("complete_days", e.completeDays().size())
                .put("remaining_ms", e.remainingMillis())
                .put("mean_daily_nanos", e.meanDailyNanos())
                .put("worst_basis", e.worstBasis())
                .put("worst_daily_nanos", e.worstDailyNanos())
                .put("best_nanos", e.bestNanos())
                .put("base_nanos", e.baseNanos())
                .put("worst_nanos", e.worstNanos());
        json.putArray("daily_nanos").addAll(e.completeDays().stream().map(d -> Json.mapper().getNodeFactory().numberNode(d)).toList());
        return json;
    }

    private static String days(long millis) {
        return BigDecimal.valueOf(millis).divide(BigDecimal.valueOf(Envelope.DAY_MILLIS), 2, RoundingMode.HALF_UP).toPlainString();
    }

    private YearMonth parseMonth(String text) {
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--month must be YYYY-MM, not '" + text + "'");
        }
    }
}
