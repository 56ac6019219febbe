package dev.costmeter.client.usage;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One model call being described for {@link UsageReporter#call()}. Required: tenant, task and its
 * class, route, provider and model; tokens default to none, attempt to 1, status to OK, the event
 * id to a random UUID and the event time to now. Not thread-safe; use one per call.
 */
public final class UsageCall {

    private final UsageReporter reporter;
    private final UsageEvent event = new UsageEvent();
    private Map<String, String> labels;

    UsageCall(UsageReporter reporter) {
        this.reporter = reporter;
        event.setAttempt(1);
        event.setStatus(CallStatus.OK);
    }

    /** The idempotency key; set it to re-send the same call after a failure without double charge. */
    public UsageCall eventId(String eventId) {
        event.setEventId(eventId);
        return this;
    }

    /** When the call completed; default: when {@link #report()} runs. */
    public UsageCall eventTime(Instant time) {
        event.setEventTime(time);
        return this;
    }

    public UsageCall tenant(String tenantId) {
        event.setTenantId(tenantId);
        return this;
    }

    /** The unit of work (the record key) and its kind, e.g. {@code ("ticket-42", "support-answer")}. */
    public UsageCall task(String taskId, String taskClass) {
        event.setTaskId(taskId);
        event.setTaskClass(taskClass);
        return this;
    }

    public UsageCall route(String route) {
        event.setRoute(route);
        return this;
    }

    public UsageCall promptVersion(String promptVersion) {
        event.setPromptVersion(promptVersion);
        return this;
    }

    public UsageCall endUser(String endUserId) {
        event.setEndUserId(endUserId);
        return this;
    }

    /** The provider ({@code openai}, {@code anthropic}, {@code google}, {@code bedrock}, ...) and its model id. */
    public UsageCall model(String provider, String model) {
        event.setProvider(provider);
        event.setModel(model);
        return this;
    }

    /** Token counts, usually from one of the mappers in {@code dev.costmeter.client.usage.providers}. */
    public UsageCall usage(TokenUsage tokens) {
        event.setInputTokens(tokens.inputTokens());
        event.setOutputTokens(tokens.outputTokens());
        event.setCacheReadTokens(tokens.cacheReadTokens());
        event.setCacheWriteTokens(tokens.cacheWriteTokens());
        event.setCacheWrite1hTokens(tokens.cacheWrite1hTokens());
        event.setReasoningTokens(tokens.reasoningTokens());
        return this;
    }

    /**
     * The service tier the provider says the call ran in ({@code flex}, {@code priority}; OpenAI's
     * and Anthropic's {@code service_tier}): priced at that tier's rates. Null, {@code default} and
     * {@code standard} are the standard tier.
     */
    public UsageCall serviceTier(String serviceTier) {
        event.setServiceTier(serviceTier);
        return this;
    }

    /** Requests the provider bills per request, by kind (e.g. {@code web_search}), priced at the price's fee. */
    public UsageCall requests(String kind, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("a request count is 0 or more: " + kind + "=" + count);
        }
        if (count > 0) {
            java.util.Map<String, Long> counts = new java.util.HashMap<>(
                    event.getRequestCounts() == null ? java.util.Map.of() : event.getRequestCounts());
            counts.merge(kind, count, Long::sum);
            event.setRequestCounts(counts);
        }
        return this;
    }

    /** 1 for the first try, 2 and above for retries of the same logical call. */
    public UsageCall attempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1: " + attempt);
        }
        event.setAttempt(attempt);
        return this;
    }

    /** The agent step, and the tool the model called in it with a hash of the tool's arguments. */
    public UsageCall step(int step, String toolName, String toolArgsHash) {
        event.setStep(step);
        event.setToolName(toolName);
        event.setToolArgsHash(toolArgsHash);
        return this;
    }

    public UsageCall promptHash(String promptHash) {
        event.setPromptHash(promptHash);
        return this;
    }

    public UsageCall status(CallStatus status) {
        event.setStatus(status);
        return this;
    }

    public UsageCall batch(boolean batch) {
        event.setBatch(batch);
        return this;
    }

    /** Answered from the application's own cache: nothing is charged, what it would have cost is savings. */
    public UsageCall responseCacheHit(boolean hit) {
        event.setResponseCacheHit(hit);
        return this;
    }

    public UsageCall latency(Duration latency) {
        event.setLatencyMs((int) Math.min(Integer.MAX_VALUE, latency.toMillis()));
        return this;
    }

    /** What the provider said the call cost, in nano-USD (1e-9 USD), if it reports one. */
    public UsageCall providerCostNanos(long nanos) {
        event.setProviderCostNanos(nanos);
        return this;
    }

    /** A free-form cost-allocation tag. */
    public UsageCall label(String key, String value) {
        if (labels == null) {
            labels = new HashMap<>();
        }
        labels.put(key, value);
        return this;
    }

    /**
     * Queues the call (see {@link UsageReporter#report}).
     *
     * @return true when queued, false when dropped
     * @throws IllegalStateException when a required field is missing: a programming error, found
     *     on the first call rather than as dead letters downstream
     */
    public boolean report() {
        required("tenant", event.getTenantId());
        required("task id", event.getTaskId());
        required("task class", event.getTaskClass());
        required("route", event.getRoute());
        required("provider", event.getProvider());
        required("model", event.getModel());
        event.setLabels(labels == null ? Map.of() : labels);
        return reporter.report(event);
    }

    /** The event as built so far (for tests and logging). */
    public UsageEvent event() {
        return event;
    }

    private static void required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("The usage event's " + name + " is required");
        }
    }
}
