package dev.costmeter.metering.query;

import dev.costmeter.metering.rollup.Counters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The levers' JSON: per window and in total, what each lever saved (signed nano-USD), the calls and
 * tokens it applied to, and the waste by category ({@code pricing/README.md#levers}). Each call
 * counts in at most one waste category; metering's rollups hold the retries, which are known when a
 * call is priced. Failed tasks and loops are named with why they are not here.
 */
final class Levers {

    /** Why the waste that needs a task's outcome is not in metering's rollups. */
    static final String FAILED_TASKS_UNAVAILABLE = "not in metering's rollups: a task's outcome arrives after its calls"
            + " are rolled up; PostgreSQL's waste_daily has it";
    static final String LOOPS_UNAVAILABLE = "no signal reaches metering or the ledger (the loop rule's BLOCK goes to"
            + " llm.control.v1, the client stops calling and reports no outcome)";

    private Levers() {
    }

    static Map<String, Object> levers(Counters c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("calls", c.calls());
        json.put("cost_nanos", c.costNanos());
        Map<String, Object> cache = new LinkedHashMap<>();
        cache.put("saved_nanos", c.cacheSavingsNanos());
        cache.put("calls", c.cacheCalls());
        cache.put("cache_read_tokens", c.cacheReadTokens());
        cache.put("cache_write_tokens", c.cacheWriteTokens());
        json.put("prompt_cache", cache);
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("saved_nanos", c.batchSavingsNanos());
        batch.put("calls", c.batchCalls());
        batch.put("tokens", c.batchTokens());
        json.put("batch", batch);
        Map<String, Object> responseCache = new LinkedHashMap<>();
        responseCache.put("saved_nanos", c.savingsNanos());
        responseCache.put("calls", c.responseCacheHits());
        json.put("response_cache", responseCache);
        Map<String, Object> retries = new LinkedHashMap<>();
        retries.put("cost_nanos", c.retryCostNanos());
        retries.put("calls", c.retries());
        Map<String, Object> waste = new LinkedHashMap<>();
        waste.put("retries", retries);
        waste.put("failed_tasks", null);
        waste.put("loops", null);
        waste.put("total_nanos", c.retryCostNanos());
        json.put("waste", waste);
        List<String> lost = new ArrayList<>();
        if (c.cacheSavingsNanos() < 0) {
            lost.add("prompt_cache");
        }
        if (c.batchSavingsNanos() < 0) {
            lost.add("batch");
        }
        json.put("lost_money", lost);
        return json;
    }

    static Map<String, Object> unavailable() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("failed_tasks", FAILED_TASKS_UNAVAILABLE);
        json.put("loops", LOOPS_UNAVAILABLE);
        return json;
    }
}
