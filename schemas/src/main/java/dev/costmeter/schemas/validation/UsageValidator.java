package dev.costmeter.schemas.validation;

import dev.costmeter.contracts.TaskOutcome;
import dev.costmeter.contracts.UsageEvent;
import java.time.Duration;
import java.util.Optional;

/**
 * The rules a usage event or task outcome must pass before it is priced or counted: the one rule set
 * of the contract, shared by every app that reads these topics, so that they agree on what a valid
 * record is (metering-stream dead-letters what fails; alerting-stream skips the same records).
 * The checks only depend on the record, its key, the two limits and the wall clock.
 */
public final class UsageValidator {

    private final long maxTokensPerCall;
    private final Duration maxFutureSkew;

    public UsageValidator(long maxTokensPerCall, Duration maxFutureSkew) {
        this.maxTokensPerCall = maxTokensPerCall;
        this.maxFutureSkew = maxFutureSkew;
    }

    /** The default per-call token maximum ({@code max.tokens.per.call}). */
    public static final long DEFAULT_MAX_TOKENS_PER_CALL = 10_000_000L;
    /** The default allowance for producers' clocks running ahead ({@code max.future.skew}). */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);

    /**
     * Checks {@code event}, received under {@code key}, at wall-clock {@code nowMs}. The first rule
     * it fails, in the order below, is the rejection. Every call is checked: each rule is tried only
     * once the ones before it passed, and none allocates when it passes.
     */
    public Optional<Rejection> check(String key, UsageEvent event, long nowMs) {
        Optional<Rejection> rejection;
        if ((rejection = required("event_id", event.getEventId())).isPresent()
                || (rejection = required("tenant_id", event.getTenantId())).isPresent()
                || (rejection = required("task_id", event.getTaskId())).isPresent()
                || (rejection = required("task_class", event.getTaskClass())).isPresent()
                || (rejection = required("route", event.getRoute())).isPresent()
                || (rejection = required("provider", event.getProvider())).isPresent()
                || (rejection = required("model", event.getModel())).isPresent()) {
            return rejection;
        }
        if (!event.getTaskId().equals(key)) {
            return reject(RejectReason.KEY_MISMATCH, "record key '" + key + "' is not the task_id '" + event.getTaskId() + "'");
        }
        if ((rejection = plain("tenant_id", event.getTenantId())).isPresent()
                || (rejection = plain("task_class", event.getTaskClass())).isPresent()
                || (rejection = plain("route", event.getRoute())).isPresent()
                || (rejection = plain("provider", event.getProvider())).isPresent()
                || (rejection = plain("model", event.getModel())).isPresent()
                || (rejection = plain("prompt_version", event.getPromptVersion())).isPresent()
                || (rejection = plain("end_user_id", event.getEndUserId())).isPresent()) {
            return rejection;
        }
        if ((rejection = tokens("input_tokens", event.getInputTokens())).isPresent()
                || (rejection = tokens("output_tokens", event.getOutputTokens())).isPresent()
                || (rejection = tokens("cache_read_tokens", event.getCacheReadTokens())).isPresent()
                || (rejection = tokens("cache_write_tokens", event.getCacheWriteTokens())).isPresent()
                || (rejection = tokens("reasoning_tokens", event.getReasoningTokens())).isPresent()) {
            return rejection;
        }
        if (event.getReasoningTokens() > event.getOutputTokens()) {
            return reject(RejectReason.ABSURD_TOKENS, "reasoning_tokens " + event.getReasoningTokens()
                    + " exceed output_tokens " + event.getOutputTokens() + " (reasoning is part of output)");
        }
        if (event.getAttempt() < 1) {
            return reject(RejectReason.NEGATIVE_VALUE, "attempt " + event.getAttempt() + " is below 1");
        }
        if (event.getProviderCostNanos() != null && event.getProviderCostNanos() < 0) {
            return reject(RejectReason.NEGATIVE_VALUE, "provider_cost_nanos " + event.getProviderCostNanos() + " is negative");
        }
        return eventTime(event.getEventTime().toEpochMilli(), nowMs);
    }

    /** Checks a task outcome received under {@code key}. */
    public Optional<Rejection> check(String key, TaskOutcome outcome, long nowMs) {
        Optional<Rejection> rejection;
        if ((rejection = required("task_id", outcome.getTaskId())).isPresent()
                || (rejection = required("tenant_id", outcome.getTenantId())).isPresent()
                || (rejection = required("task_class", outcome.getTaskClass())).isPresent()
                || (rejection = required("route", outcome.getRoute())).isPresent()) {
            return rejection;
        }
        if (!outcome.getTaskId().equals(key)) {
            return reject(RejectReason.KEY_MISMATCH, "record key '" + key + "' is not the task_id '" + outcome.getTaskId() + "'");
        }
        if ((rejection = plain("task_class", outcome.getTaskClass())).isPresent()
                || (rejection = plain("tenant_id", outcome.getTenantId())).isPresent()) {
            return rejection;
        }
        return eventTime(outcome.getEventTime().toEpochMilli(), nowMs);
    }

    private Optional<Rejection> eventTime(long eventTimeMs, long nowMs) {
        if (eventTimeMs < 0) {
            // It would become the record's timestamp downstream, and Kafka refuses negative timestamps.
            return reject(RejectReason.INVALID_EVENT_TIME, "event_time " + java.time.Instant.ofEpochMilli(eventTimeMs)
                    + " is before 1970-01-01T00:00:00Z, which a Kafka record timestamp cannot carry");
        }
        if (eventTimeMs > nowMs + maxFutureSkew.toMillis()) {
            return reject(RejectReason.FUTURE_EVENT, "event_time " + java.time.Instant.ofEpochMilli(eventTimeMs)
                    + " is more than " + maxFutureSkew + " ahead of " + java.time.Instant.ofEpochMilli(nowMs));
        }
        return Optional.empty();
    }

    private Optional<Rejection> tokens(String field, long value) {
        if (value < 0) {
            return reject(RejectReason.NEGATIVE_VALUE, field + " " + value + " is negative");
        }
        if (value > maxTokensPerCall) {
            return reject(RejectReason.ABSURD_TOKENS, field + " " + value + " is above the per-call maximum " + maxTokensPerCall);
        }
        return Optional.empty();
    }

    private static Optional<Rejection> required(String field, String value) {
        return value == null || value.isBlank()
                ? reject(RejectReason.MISSING_FIELD, field + " is missing or blank")
                : Optional.empty();
    }

    private static Optional<Rejection> plain(String field, String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '|' || Character.isISOControl(c)) {
                return reject(RejectReason.INVALID_CHARACTER, field + " contains " + (c == '|' ? "'|'" : "a control character")
                        + ", which is reserved in aggregation keys");
            }
        }
        return Optional.empty();
    }

    private static Optional<Rejection> reject(RejectReason reason, String detail) {
        return Optional.of(new Rejection(reason, detail));
    }
}
