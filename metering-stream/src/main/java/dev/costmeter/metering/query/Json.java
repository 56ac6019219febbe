package dev.costmeter.metering.query;

import dev.costmeter.metering.rollup.Counters;
import dev.costmeter.metering.state.ModelUsage;
import dev.costmeter.metering.state.TaskTotals;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The query API's JSON shapes, as ordered maps (Jackson writes them as they are). */
final class Json {

    private Json() {
    }

    static Map<String, Object> counters(Counters c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("calls", c.calls());
        json.put("retries", c.retries());
        json.put("failures", c.failures());
        json.put("response_cache_hits", c.responseCacheHits());
        json.put("unpriced_calls", c.unpricedCalls());
        json.put("input_tokens", c.inputTokens());
        json.put("output_tokens", c.outputTokens());
        json.put("cache_read_tokens", c.cacheReadTokens());
        json.put("cache_write_tokens", c.cacheWriteTokens());
        json.put("cost_nanos", c.costNanos());
        json.put("input_cost_nanos", c.inputCostNanos());
        json.put("output_cost_nanos", c.outputCostNanos());
        json.put("cache_read_cost_nanos", c.cacheReadCostNanos());
        json.put("cache_write_cost_nanos", c.cacheWriteCostNanos());
        json.put("savings_nanos", c.savingsNanos());
        json.put("cache_hit_rate_bps", c.cacheHitRateBps());
        return json;
    }

    static Map<String, Object> task(TaskTotals t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("task_id", t.getTaskId());
        json.put("tenant_id", t.getTenantId());
        json.put("task_class", t.getTaskClass());
        json.put("route", t.getRoute());
        json.put("calls", t.getCalls());
        json.put("retries", t.getRetries());
        json.put("failures", t.getFailures());
        json.put("response_cache_hits", t.getResponseCacheHits());
        json.put("unpriced_calls", t.getUnpricedCalls());
        json.put("input_tokens", t.getInputTokens());
        json.put("output_tokens", t.getOutputTokens());
        json.put("cache_read_tokens", t.getCacheReadTokens());
        json.put("cache_write_tokens", t.getCacheWriteTokens());
        json.put("cost_nanos", t.getCostNanos());
        json.put("savings_nanos", t.getSavingsNanos());
        json.put("tool_calls", t.getToolCalls());
        Map<String, Object> models = new LinkedHashMap<>();
        for (Map.Entry<String, ModelUsage> model : new java.util.TreeMap<>(t.getModels()).entrySet()) {
            models.put(model.getKey(), Map.of("calls", model.getValue().getCalls(), "cost_nanos", model.getValue().getCostNanos()));
        }
        json.put("models", models);
        json.put("first_seen", t.getCalls() == 0 ? null : Instant.ofEpochMilli(t.getFirstSeen()).toString());
        json.put("last_seen", Instant.ofEpochMilli(t.getLastSeen()).toString());
        json.put("outcome", t.getOutcome());
        json.put("human_corrected", t.getHumanCorrected());
        return json;
    }
}
