package dev.costmeter.faults.workload;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.faults.price.ModelPrice;
import dev.costmeter.faults.price.Tokens;
import java.time.Instant;
import java.util.Map;

/**
 * One model call attempt of the workload, as planned. Times are offsets from the run's start, so a
 * plan does not depend on when it runs: {@code offsetMs} is when it is sent, {@code eventOffsetMs}
 * its event time (earlier for a late event).
 *
 * @param index             position of the call in the plan's call list
 * @param providerCostNanos what the provider reports for it, or null
 */
public record PlannedCall(int index, long offsetMs, long eventOffsetMs, String eventId, String taskId, String tenant,
        String taskClass, String route, String promptVersion, String endUser, ModelPrice model, Tokens tokens,
        long reasoningTokens, boolean batch, int attempt, Integer step, String toolName, String toolArgsHash,
        CallStatus status, boolean responseCacheHit, Integer latencyMs, Long providerCostNanos,
        Map<String, String> labels) {

    public Instant eventTime(Instant runStart) {
        return runStart.plusMillis(eventOffsetMs);
    }

    /** The record sent: the same for the same run start, so a re-send carries the same bytes. */
    public UsageEvent toEvent(Instant runStart) {
        return UsageEvent.newBuilder()
                .setEventId(eventId)
                .setEventTime(eventTime(runStart))
                .setTenantId(tenant)
                .setTaskId(taskId)
                .setTaskClass(taskClass)
                .setRoute(route)
                .setPromptVersion(promptVersion)
                .setEndUserId(endUser)
                .setProvider(model.provider())
                .setModel(model.model())
                .setInputTokens(tokens.input())
                .setOutputTokens(tokens.output())
                .setCacheReadTokens(tokens.cacheRead())
                .setCacheWriteTokens(tokens.cacheWrite())
                .setReasoningTokens(reasoningTokens)
                .setBatch(batch)
                .setAttempt(attempt)
                .setStep(step)
                .setToolName(toolName)
                .setToolArgsHash(toolArgsHash)
                .setPromptHash(null)
                .setStatus(status)
                .setResponseCacheHit(responseCacheHit)
                .setLatencyMs(latencyMs)
                .setProviderCostNanos(providerCostNanos)
                .setLabels(Map.copyOf(labels))
                .build();
    }
}
