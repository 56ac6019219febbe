package dev.costmeter.gateway.otlp;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.UsageEvent;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one span into one usage event when it carries LLM usage in one of the {@link AttributeSet}s.
 *
 * <p>Counting: costmeter's {@code input_tokens} is input at the full rate only, without cache reads
 * and cache writes; every attribute set counts them inside input, so both are subtracted here, once
 * (unless {@link SpanMappingConfig#inputExcludesCache} says this instrumentation already left them
 * out). Output includes reasoning in all three, as in costmeter's {@code output_tokens}. A span whose
 * counts cannot be one call (cache above input, reasoning above output) is refused, not clamped.
 *
 * <p>The event id is {@code otel:<trace id>:<span id>} (hex), so a re-sent batch carries the same
 * ids and metering's deduplication charges it once.
 */
public final class GenAiSpanMapper {

    /** The label naming the attribute set an event was read with. */
    public static final String ATTRIBUTE_SET_LABEL = "otel.attribute_set";
    /** The label saying whether cache tokens were subtracted from the span's input. */
    public static final String INPUT_RULE_LABEL = "otel.input_rule";
    private static final HexFormat HEX = HexFormat.of();
    private static final String DEFAULT_TASK_CLASS = "otel";

    private final SpanMappingConfig config;

    public GenAiSpanMapper(SpanMappingConfig config) {
        this.config = config;
    }

    /**
     * Maps {@code span}, sent under a resource with {@code resourceAttributes}.
     *
     * @param callerTenant the caller's tenant when its token names exactly one, used when no
     *                     attribute names the tenant; null otherwise
     */
    public SpanMapping map(Span span, List<KeyValue> resourceAttributes, String callerTenant) {
        SpanAttributes attributes = new SpanAttributes(span.getAttributesList(), resourceAttributes);
        Optional<AttributeSet> found = detect(attributes);
        if (found.isEmpty()) {
            return new SpanMapping.NoUsage();
        }
        AttributeSet set = found.get();
        String where = "span " + HEX.formatHex(span.getSpanId().toByteArray()) + " (" + set.label() + ")";
        try {
            return map(span, attributes, set, callerTenant, where);
        } catch (IllegalArgumentException e) {
            return new SpanMapping.Invalid(where + ": " + e.getMessage());
        }
    }

    private SpanMapping map(Span span, SpanAttributes attributes, AttributeSet set, String callerTenant, String where) {
        if (span.getTraceId().size() != 16 || span.getSpanId().size() != 8) {
            return new SpanMapping.Invalid(where + ": trace id must be 16 bytes and span id 8 bytes");
        }
        String traceId = HEX.formatHex(span.getTraceId().toByteArray());
        String spanId = HEX.formatHex(span.getSpanId().toByteArray());
        Optional<String> provider = attributes.text(set.provider).map(config::provider);
        Optional<String> model = attributes.text(set.model);
        if (provider.isEmpty() || model.isEmpty()) {
            return new SpanMapping.Invalid(where + ": usage without " + (provider.isEmpty() ? "a provider (" + set.provider
                    : "a model (" + set.model) + ")");
        }
        long rawInput = attributes.count(set.input).orElse(0L);
        long output = attributes.count(set.output).orElse(0L);
        long cacheRead = attributes.count(set.cacheRead).orElse(0L);
        long cacheWrite = attributes.count(set.cacheWrite).orElse(0L);
        long reasoning = attributes.count(set.reasoning).orElse(0L);
        boolean excludes = config.inputExcludesCache(set, provider.get());
        long input = rawInput;
        if (!excludes) {
            input = rawInput - cacheRead - cacheWrite;
            if (input < 0) {
                return new SpanMapping.Invalid(where + ": cache reads " + cacheRead + " and writes " + cacheWrite
                        + " exceed the input " + rawInput + " they are part of (if this instrumentation reports input without"
                        + " them, list " + set.label() + ":" + provider.get() + " in otlp.input.excludes-cache)");
            }
        }
        if (reasoning > output) {
            return new SpanMapping.Invalid(where + ": reasoning tokens " + reasoning + " exceed output tokens " + output);
        }
        Optional<String> tenant = attributes.text(config.tenant()).or(() -> Optional.ofNullable(callerTenant));
        if (tenant.isEmpty()) {
            return new SpanMapping.Invalid(where + ": no tenant: set one of " + config.tenant()
                    + " on the span or its resource, or send with a token of one tenant");
        }
        Optional<String> route = attributes.text(config.route());
        if (route.isEmpty()) {
            return new SpanMapping.Invalid(where + ": no route: set one of " + config.route());
        }
        long endNanos = span.getEndTimeUnixNano() != 0 ? span.getEndTimeUnixNano() : span.getStartTimeUnixNano();
        if (endNanos == 0) {
            return new SpanMapping.Invalid(where + ": neither an end nor a start time");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ATTRIBUTE_SET_LABEL, set.label());
        labels.put(INPUT_RULE_LABEL, excludes ? "input-excludes-cache" : "cache-subtracted-from-input");
        attributes.text(List.of("gen_ai.agent.id")).ifPresent(agent -> labels.put("gen_ai.agent.id", agent));
        UsageEvent.Builder event = UsageEvent.newBuilder()
                .setEventId("otel:" + traceId + ":" + spanId)
                .setEventTime(Instant.ofEpochMilli(Math.floorDiv(endNanos, 1_000_000L)))
                .setTenantId(tenant.get())
                .setTaskId(attributes.text(config.task()).orElse(traceId))
                .setTaskClass(attributes.text(config.taskClass()).orElse(DEFAULT_TASK_CLASS))
                .setRoute(route.get())
                .setPromptVersion(attributes.text(config.promptVersion()).orElse(null))
                .setEndUserId(attributes.text(config.endUser()).orElse(null))
                .setProvider(provider.get())
                .setModel(model.get())
                .setInputTokens(input)
                .setOutputTokens(output)
                .setCacheReadTokens(cacheRead)
                .setCacheWriteTokens(cacheWrite)
                .setReasoningTokens(reasoning)
                .setToolName(attributes.text(List.of("gen_ai.tool.name")).orElse(null))
                .setStatus(span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR ? CallStatus.ERROR : CallStatus.OK)
                .setLabels(labels);
        if (span.getEndTimeUnixNano() > span.getStartTimeUnixNano() && span.getStartTimeUnixNano() != 0) {
            long millis = (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1_000_000L;
            event.setLatencyMs((int) Math.min(Integer.MAX_VALUE, millis));
        }
        return new SpanMapping.Call(event.build(), set);
    }

    /** The set whose input or output count is on the span: GenAI first, then the older spellings. */
    private static Optional<AttributeSet> detect(SpanAttributes attributes) {
        for (AttributeSet set : AttributeSet.values()) {
            if (attributes.spanHasAny(set.input) || attributes.spanHasAny(set.output)) {
                return Optional.of(set);
            }
        }
        return Optional.empty();
    }
}
