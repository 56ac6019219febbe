package dev.costmeter.metering.query;

import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.pricing.envelope.MonthlyEnvelope;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The envelope's JSON: the three projections, what they were computed from, and the rule in words. */
final class EnvelopeJson {

    static final String RULE = "n = days elapsed (1st to 'through', days without spend count as 0), r = days left,"
            + " S = spend so far, W = its waste (retried calls), P = dearest day; base = S + r*S/n,"
            + " worst = S + r*P, best = S + r*(S-W)/n; each fraction rounded half-up once";

    private EnvelopeJson() {
    }

    static Map<String, Object> of(RollupDimension dimension, String scope, MonthlyEnvelope e, Map<LocalDate, Long> spend,
            Map<LocalDate, Long> waste) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dimension", dimension.name().toLowerCase(Locale.ROOT));
        json.put("scope", scope);
        json.put("month", e.month().toString());
        json.put("through", e.through().toString());
        json.put("days_elapsed", e.daysElapsed());
        json.put("days_in_month", e.daysInMonth());
        json.put("days_left", e.daysLeft());
        json.put("spent_nanos", e.spentNanos());
        json.put("waste_nanos", e.wasteNanos());
        json.put("dearest_day_nanos", e.dearestDayNanos());
        json.put("best_nanos", e.bestNanos());
        json.put("base_nanos", e.baseNanos());
        json.put("worst_nanos", e.worstNanos());
        json.put("rule", RULE);
        List<Map<String, Object>> days = new ArrayList<>();
        spend.forEach((day, cost) -> {
            if (!day.isAfter(e.through())) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("day", day.toString());
                row.put("cost_nanos", cost);
                row.put("waste_nanos", waste.getOrDefault(day, 0L));
                days.add(row);
            }
        });
        json.put("days", days);
        return json;
    }
}
