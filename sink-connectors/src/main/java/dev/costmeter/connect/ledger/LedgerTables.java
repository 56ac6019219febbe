package dev.costmeter.connect.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.TaskOutcome;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The three upserts, one per table, and how each binds its record. */
final class LedgerTables {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A ledger row never changes once written (metering publishes each event_id once), so a replay
     * or a redelivered batch does nothing: the first write stays, nothing is counted twice.
     */
    static final UpsertStatement<Sourced<PricedUsage>> LEDGER = new UpsertStatement<>("ledger", List.of(
            "event_id", "event_time", "event_day", "tenant_id", "task_id", "task_class", "route", "prompt_version",
            "end_user_id", "provider", "model", "input_tokens", "output_tokens", "cache_read_tokens",
            "cache_write_tokens", "reasoning_tokens", "batch", "attempt", "step", "tool_name", "status",
            "response_cache_hit", "cost_nanos", "input_cost_nanos", "output_cost_nanos", "cache_read_cost_nanos",
            "cache_write_cost_nanos", "savings_nanos", "priced", "price_version", "long_context",
            "provider_cost_nanos", "labels::jsonb", "priced_at", "source_topic", "source_partition", "source_offset",
            "cache_write_1h_tokens", "cache_write_1h_cost_nanos", "service_tier", "request_counts::jsonb",
            "request_fees_cost_nanos", "unpriced_reason", "cache_savings_nanos", "batch_savings_nanos"),
            "ON CONFLICT (event_id) DO NOTHING",
            LedgerTables::bindLedger);

    /** Running totals: the newer updated_at wins, and an older version arriving late changes nothing. */
    static final UpsertStatement<Sourced<CostRollup>> ROLLUPS = new UpsertStatement<>("rollups", List.of(
            "dimension", "scope", "granularity", "window_start", "window_end", "calls", "retries", "failures",
            "response_cache_hits", "unpriced_calls", "input_tokens", "output_tokens", "cache_read_tokens",
            "cache_write_tokens", "cost_nanos", "input_cost_nanos", "output_cost_nanos", "cache_read_cost_nanos",
            "cache_write_cost_nanos", "savings_nanos", "updated_at"),
            "ON CONFLICT (dimension, scope, granularity, window_start) DO UPDATE SET "
                    + "window_end = EXCLUDED.window_end, calls = EXCLUDED.calls, retries = EXCLUDED.retries, "
                    + "failures = EXCLUDED.failures, response_cache_hits = EXCLUDED.response_cache_hits, "
                    + "unpriced_calls = EXCLUDED.unpriced_calls, input_tokens = EXCLUDED.input_tokens, "
                    + "output_tokens = EXCLUDED.output_tokens, cache_read_tokens = EXCLUDED.cache_read_tokens, "
                    + "cache_write_tokens = EXCLUDED.cache_write_tokens, cost_nanos = EXCLUDED.cost_nanos, "
                    + "input_cost_nanos = EXCLUDED.input_cost_nanos, output_cost_nanos = EXCLUDED.output_cost_nanos, "
                    + "cache_read_cost_nanos = EXCLUDED.cache_read_cost_nanos, "
                    + "cache_write_cost_nanos = EXCLUDED.cache_write_cost_nanos, savings_nanos = EXCLUDED.savings_nanos, "
                    + "updated_at = EXCLUDED.updated_at, written_at = now() "
                    + "WHERE rollups.updated_at <= EXCLUDED.updated_at",
            LedgerTables::bindRollup);

    /** The latest decision about a task wins. */
    static final UpsertStatement<Sourced<TaskOutcome>> OUTCOMES = new UpsertStatement<>("task_outcomes", List.of(
            "task_id", "tenant_id", "task_class", "route", "outcome", "decided_at", "decided_day", "human_corrected"),
            "ON CONFLICT (task_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, task_class = EXCLUDED.task_class, "
                    + "route = EXCLUDED.route, outcome = EXCLUDED.outcome, decided_at = EXCLUDED.decided_at, "
                    + "decided_day = EXCLUDED.decided_day, human_corrected = EXCLUDED.human_corrected, written_at = now() "
                    + "WHERE task_outcomes.decided_at <= EXCLUDED.decided_at",
            LedgerTables::bindOutcome);

    private LedgerTables() {
    }

    /**
     * Keeps one version per rollup key, the newest by updated_at: PostgreSQL refuses to update one
     * row twice in a single statement, and the newest is what the table must end with anyway.
     */
    static List<Sourced<CostRollup>> newestPerKey(List<Sourced<CostRollup>> rollups) {
        Map<String, Sourced<CostRollup>> newest = new TreeMap<>();
        for (Sourced<CostRollup> rollup : rollups) {
            CostRollup r = rollup.value();
            String key = r.getDimension() + "|" + r.getScope() + "|" + r.getGranularity() + "|" + r.getWindowStart();
            newest.merge(key, rollup, (a, b) ->
                    b.value().getUpdatedAt().isBefore(a.value().getUpdatedAt()) ? a : b);
        }
        return List.copyOf(newest.values());
    }

    /** One outcome per task, the latest decided. */
    static List<Sourced<TaskOutcome>> latestPerTask(List<Sourced<TaskOutcome>> outcomes) {
        Map<String, Sourced<TaskOutcome>> latest = new TreeMap<>();
        for (Sourced<TaskOutcome> outcome : outcomes) {
            latest.merge(outcome.value().getTaskId(), outcome, (a, b) ->
                    b.value().getEventTime().isBefore(a.value().getEventTime()) ? a : b);
        }
        return List.copyOf(latest.values());
    }

    private static void bindLedger(RowValues s, int i, Sourced<PricedUsage> sourced) throws SQLException {
        PricedUsage u = sourced.value();
        s.setString(i++, u.getEventId());
        s.setObject(i++, timestamp(u.getEventTime()));
        s.setObject(i++, utcDay(u.getEventTime()));
        s.setString(i++, u.getTenantId());
        s.setString(i++, u.getTaskId());
        s.setString(i++, u.getTaskClass());
        s.setString(i++, u.getRoute());
        s.setString(i++, u.getPromptVersion());
        s.setString(i++, u.getEndUserId());
        s.setString(i++, u.getProvider());
        s.setString(i++, u.getModel());
        s.setLong(i++, u.getInputTokens());
        s.setLong(i++, u.getOutputTokens());
        s.setLong(i++, u.getCacheReadTokens());
        s.setLong(i++, u.getCacheWriteTokens());
        s.setLong(i++, u.getReasoningTokens());
        s.setBoolean(i++, u.getBatch());
        s.setInt(i++, u.getAttempt());
        setNullableInt(s, i++, u.getStep());
        s.setString(i++, u.getToolName());
        s.setString(i++, u.getStatus().name());
        s.setBoolean(i++, u.getResponseCacheHit());
        s.setLong(i++, u.getCostNanos());
        s.setLong(i++, u.getInputCostNanos());
        s.setLong(i++, u.getOutputCostNanos());
        s.setLong(i++, u.getCacheReadCostNanos());
        s.setLong(i++, u.getCacheWriteCostNanos());
        s.setLong(i++, u.getSavingsNanos());
        s.setBoolean(i++, u.getPriced());
        s.setString(i++, u.getPriceVersion());
        s.setBoolean(i++, u.getLongContext());
        if (u.getProviderCostNanos() == null) {
            s.setNull(i++, Types.BIGINT);
        } else {
            s.setLong(i++, u.getProviderCostNanos());
        }
        s.setString(i++, json(u.getLabels()));
        s.setObject(i++, timestamp(u.getPricedAt()));
        s.setString(i++, sourced.record().topic());
        s.setInt(i++, sourced.record().kafkaPartition());
        s.setLong(i++, sourced.record().kafkaOffset());
        s.setLong(i++, u.getCacheWrite1hTokens());
        s.setLong(i++, u.getCacheWrite1hCostNanos());
        s.setString(i++, u.getServiceTier());
        s.setString(i++, json(u.getRequestCounts()));
        s.setLong(i++, u.getRequestFeesCostNanos());
        s.setString(i++, u.getUnpricedReason());
        s.setLong(i++, u.getCacheSavingsNanos());
        s.setLong(i, u.getBatchSavingsNanos());
    }

    private static void bindRollup(RowValues s, int i, Sourced<CostRollup> sourced) throws SQLException {
        CostRollup r = sourced.value();
        s.setString(i++, r.getDimension().name());
        s.setString(i++, r.getScope());
        s.setString(i++, r.getGranularity().name());
        s.setObject(i++, timestamp(r.getWindowStart()));
        s.setObject(i++, timestamp(r.getWindowEnd()));
        s.setLong(i++, r.getCalls());
        s.setLong(i++, r.getRetries());
        s.setLong(i++, r.getFailures());
        s.setLong(i++, r.getResponseCacheHits());
        s.setLong(i++, r.getUnpricedCalls());
        s.setLong(i++, r.getInputTokens());
        s.setLong(i++, r.getOutputTokens());
        s.setLong(i++, r.getCacheReadTokens());
        s.setLong(i++, r.getCacheWriteTokens());
        s.setLong(i++, r.getCostNanos());
        s.setLong(i++, r.getInputCostNanos());
        s.setLong(i++, r.getOutputCostNanos());
        s.setLong(i++, r.getCacheReadCostNanos());
        s.setLong(i++, r.getCacheWriteCostNanos());
        s.setLong(i++, r.getSavingsNanos());
        s.setObject(i, timestamp(r.getUpdatedAt()));
    }

    private static void bindOutcome(RowValues s, int i, Sourced<TaskOutcome> sourced) throws SQLException {
        TaskOutcome o = sourced.value();
        s.setString(i++, o.getTaskId());
        s.setString(i++, o.getTenantId());
        s.setString(i++, o.getTaskClass());
        s.setString(i++, o.getRoute());
        s.setString(i++, o.getOutcome().name());
        s.setObject(i++, timestamp(o.getEventTime()));
        s.setObject(i++, utcDay(o.getEventTime()));
        s.setBoolean(i, o.getHumanCorrected());
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static LocalDate utcDay(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    private static void setNullableInt(RowValues s, int i, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(i, Types.INTEGER);
        } else {
            s.setInt(i, value);
        }
    }

    private static String json(Map<String, ?> map) throws SQLException {
        try {
            return JSON.writeValueAsString(map == null ? Map.of() : new TreeMap<>(map));
        } catch (JsonProcessingException e) {
            throw new SQLException("Cannot write a map as JSON", "22000", e);
        }
    }
}
