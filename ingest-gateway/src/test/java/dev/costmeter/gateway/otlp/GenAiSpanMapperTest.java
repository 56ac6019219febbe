package dev.costmeter.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.UsageEvent;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Span shapes from the three conventions' public material:
 * <ul>
 *   <li>GenAI: the attribute tables of open-telemetry/semantic-conventions-genai (gen-ai-spans.md, registry
 *       "gen_ai.usage.*"): a {@code chat gpt-4o} client span with {@code gen_ai.provider.name},
 *       request and response model, input tokens including the cached ones;</li>
 *   <li>OpenLLMetry: traceloop/openllmetry's opentelemetry-instrumentation-anthropic, which sets
 *       {@code gen_ai.system="Anthropic"} and {@code gen_ai.usage.prompt_tokens} to Anthropic's
 *       input_tokens + cache_read_input_tokens + cache_creation_input_tokens, with the cache counts in
 *       {@code gen_ai.usage.cache_read_input_tokens} / {@code gen_ai.usage.cache_creation_input_tokens};</li>
 *   <li>OpenInference: Arize-ai/openinference spec/semantic_conventions.md ({@code llm.provider},
 *       {@code llm.model_name}, {@code llm.token_count.prompt} with
 *       {@code llm.token_count.prompt_details.cache_read/cache_write} as parts of it,
 *       {@code llm.token_count.completion_details.reasoning}).</li>
 * </ul>
 */
class GenAiSpanMapperTest {

    private static final String TRACE = "5b8efff798038103d269b633813fc60c";
    private static final String SPAN = "eee19b7ec3c1b174";
    private static final List<KeyValue> RESOURCE = List.of(text("service.name", "support-bot"), text("costmeter.tenant_id", "acme"));

    private final GenAiSpanMapper mapper = new GenAiSpanMapper(SpanMappingConfig.standard());

    @Test
    void shouldSubtractCacheReadsOnceFromGenAiInputAndKeepReasoningInsideOutput() {
        Span span = span(text("gen_ai.operation.name", "chat"), text("gen_ai.provider.name", "openai"),
                text("gen_ai.request.model", "gpt-4o"), text("gen_ai.response.model", "gpt-4o-2024-08-06"),
                integer("gen_ai.usage.input_tokens", 2_000), integer("gen_ai.usage.cache_read.input_tokens", 1_500),
                integer("gen_ai.usage.output_tokens", 800), integer("gen_ai.usage.reasoning.output_tokens", 300),
                text("gen_ai.conversation.id", "conv-42"));

        UsageEvent event = call(span, AttributeSet.GENAI);

        assertThat(event.getInputTokens()).isEqualTo(500);
        assertThat(event.getCacheReadTokens()).isEqualTo(1_500);
        assertThat(event.getCacheWriteTokens()).isZero();
        assertThat(event.getOutputTokens()).isEqualTo(800);
        assertThat(event.getReasoningTokens()).isEqualTo(300);
        assertThat(event.getProvider()).isEqualTo("openai");
        assertThat(event.getModel()).as("the response model, what was billed").isEqualTo("gpt-4o-2024-08-06");
        assertThat(event.getTaskId()).isEqualTo("conv-42");
        assertThat(event.getTaskClass()).isEqualTo("chat");
        assertThat(event.getRoute()).isEqualTo("support-bot");
        assertThat(event.getTenantId()).isEqualTo("acme");
        assertThat(event.getEventId()).isEqualTo("otel:" + TRACE + ":" + SPAN);
        assertThat(event.getLabels()).containsEntry("otel.attribute_set", "genai")
                .containsEntry("otel.input_rule", "cache-subtracted-from-input");
        assertThat(event.getLatencyMs()).isEqualTo(1_250);
        assertThat(event.getStatus()).isEqualTo(CallStatus.OK);
    }

    @Test
    void shouldSubtractBothCacheReadsAndWritesFromGenAiAnthropicInput() {
        Span span = span(text("gen_ai.provider.name", "anthropic"), text("gen_ai.request.model", "claude-sonnet-4-6"),
                integer("gen_ai.usage.input_tokens", 10_300), integer("gen_ai.usage.cache_read.input_tokens", 8_000),
                integer("gen_ai.usage.cache_creation.input_tokens", 2_000), integer("gen_ai.usage.output_tokens", 400));

        UsageEvent event = call(span, AttributeSet.GENAI);

        assertThat(event.getInputTokens()).isEqualTo(300);
        assertThat(event.getCacheReadTokens()).isEqualTo(8_000);
        assertThat(event.getCacheWriteTokens()).isEqualTo(2_000);
        assertThat(event.getModel()).as("no response model: the request's").isEqualTo("claude-sonnet-4-6");
        assertThat(event.getTaskId()).as("no conversation id: the trace").isEqualTo(TRACE);
    }

    @Test
    void shouldReadOpenLlmetryPromptTokensAndItsCacheSpellings() {
        Span span = span(text("gen_ai.system", "Anthropic"), text("gen_ai.request.model", "claude-sonnet-4-6"),
                text("gen_ai.response.model", "claude-sonnet-4-6"), integer("gen_ai.usage.prompt_tokens", 5_120),
                integer("gen_ai.usage.completion_tokens", 256), integer("gen_ai.usage.cache_read_input_tokens", 4_096),
                integer("gen_ai.usage.cache_creation_input_tokens", 1_000), integer("gen_ai.usage.total_tokens", 5_376));

        UsageEvent event = call(span, AttributeSet.OPENLLMETRY);

        assertThat(event.getProvider()).as("lower-cased to the catalog's name").isEqualTo("anthropic");
        assertThat(event.getInputTokens()).isEqualTo(24);
        assertThat(event.getCacheReadTokens()).isEqualTo(4_096);
        assertThat(event.getCacheWriteTokens()).isEqualTo(1_000);
        assertThat(event.getOutputTokens()).isEqualTo(256);
        assertThat(event.getLabels()).containsEntry("otel.attribute_set", "openllmetry");
    }

    @Test
    void shouldReadOpenInferenceTokenCountsWithCacheDetailsAsPartsOfThePrompt() {
        Span span = span(text("openinference.span.kind", "LLM"), text("llm.provider", "anthropic"),
                text("llm.system", "anthropic"), text("llm.model_name", "claude-haiku-4-5-20251001"),
                integer("llm.token_count.prompt", 1_500), integer("llm.token_count.prompt_details.cache_read", 1_000),
                integer("llm.token_count.prompt_details.cache_write", 200), integer("llm.token_count.completion", 90),
                integer("llm.token_count.total", 1_590), text("session.id", "sess-7"), text("user.id", "u-1"));

        UsageEvent event = call(span, AttributeSet.OPENINFERENCE);

        assertThat(event.getInputTokens()).isEqualTo(300);
        assertThat(event.getCacheReadTokens()).isEqualTo(1_000);
        assertThat(event.getCacheWriteTokens()).isEqualTo(200);
        assertThat(event.getOutputTokens()).isEqualTo(90);
        assertThat(event.getModel()).isEqualTo("claude-haiku-4-5-20251001");
        assertThat(event.getTaskId()).isEqualTo("sess-7");
        assertThat(event.getEndUserId()).isEqualTo("u-1");
        assertThat(event.getLabels()).containsEntry("otel.attribute_set", "openinference");
    }

    @Test
    void shouldReadOpenInferenceReasoningAsPartOfOutput() {
        Span span = span(text("llm.provider", "openai"), text("llm.model_name", "o3"), integer("llm.token_count.prompt", 100),
                integer("llm.token_count.completion", 900), integer("llm.token_count.completion_details.reasoning", 700));

        UsageEvent event = call(span, AttributeSet.OPENINFERENCE);

        assertThat(event.getOutputTokens()).isEqualTo(900);
        assertThat(event.getReasoningTokens()).isEqualTo(700);
    }

    @Test
    void shouldMapGenAiGoogleProviderNamesToTheCatalogs() {
        Span span = span(text("gen_ai.provider.name", "gcp.gemini"), text("gen_ai.request.model", "gemini-2.5-pro"),
                integer("gen_ai.usage.input_tokens", 10), integer("gen_ai.usage.output_tokens", 5));

        assertThat(call(span, AttributeSet.GENAI).getProvider()).isEqualTo("google");
    }

    @Test
    void shouldIgnoreSpansWithoutUsage() {
        Span span = span(text("http.request.method", "POST"), text("gen_ai.operation.name", "execute_tool"),
                text("gen_ai.tool.name", "search"));

        assertThat(mapper.map(span, RESOURCE, null)).isInstanceOf(SpanMapping.NoUsage.class);
    }

    @Test
    void shouldRefuseCacheAboveInputAndNameTheSettingForInstrumentationsThatExcludeIt() {
        Span span = span(text("gen_ai.provider.name", "anthropic"), text("gen_ai.request.model", "claude-sonnet-4-6"),
                integer("gen_ai.usage.input_tokens", 300), integer("gen_ai.usage.cache_read.input_tokens", 8_000),
                integer("gen_ai.usage.output_tokens", 10));

        assertThat(mapper.map(span, RESOURCE, null)).isInstanceOfSatisfying(SpanMapping.Invalid.class,
                invalid -> assertThat(invalid.reason()).contains("exceed the input 300").contains("genai:anthropic"));

        GenAiSpanMapper excluding = new GenAiSpanMapper(SpanMappingConfig.from(
                Map.of("otlp.input.excludes-cache", "genai:anthropic")::get));
        SpanMapping mapping = excluding.map(span, RESOURCE, null);
        assertThat(mapping).isInstanceOf(SpanMapping.Call.class);
        UsageEvent event = ((SpanMapping.Call) mapping).event();
        assertThat(event.getInputTokens()).as("as reported, nothing subtracted").isEqualTo(300);
        assertThat(event.getLabels()).containsEntry("otel.input_rule", "input-excludes-cache");
    }

    @Test
    void shouldRefuseFractionalOrNegativeCountsAndUsageWithoutAModel() {
        assertThat(mapper.map(span(text("gen_ai.provider.name", "openai"), text("gen_ai.request.model", "gpt-4o"),
                doubleValue("gen_ai.usage.input_tokens", 10.5)), RESOURCE, null))
                .isInstanceOfSatisfying(SpanMapping.Invalid.class, i -> assertThat(i.reason()).contains("not a whole number"));
        assertThat(mapper.map(span(text("gen_ai.provider.name", "openai"), text("gen_ai.request.model", "gpt-4o"),
                integer("gen_ai.usage.output_tokens", -1)), RESOURCE, null))
                .isInstanceOfSatisfying(SpanMapping.Invalid.class, i -> assertThat(i.reason()).contains("negative"));
        assertThat(mapper.map(span(text("gen_ai.provider.name", "openai"), integer("gen_ai.usage.input_tokens", 1)), RESOURCE, null))
                .isInstanceOfSatisfying(SpanMapping.Invalid.class, i -> assertThat(i.reason()).contains("a model"));
    }

    @Test
    void shouldTakeTheCallersOneTenantWhenNoAttributeNamesItAndRefuseWithoutEither() {
        Span span = span(text("gen_ai.provider.name", "openai"), text("gen_ai.request.model", "gpt-4o"),
                integer("gen_ai.usage.input_tokens", 1), integer("gen_ai.usage.output_tokens", 1));
        List<KeyValue> noTenant = List.of(text("service.name", "svc"));

        assertThat(((SpanMapping.Call) mapper.map(span, noTenant, "globex")).event().getTenantId()).isEqualTo("globex");
        assertThat(mapper.map(span, noTenant, null)).isInstanceOfSatisfying(SpanMapping.Invalid.class,
                i -> assertThat(i.reason()).contains("no tenant"));
    }

    @Test
    void shouldMarkErrorSpansAsErrorCalls() {
        Span span = span(text("gen_ai.provider.name", "openai"), text("gen_ai.request.model", "gpt-4o"),
                integer("gen_ai.usage.input_tokens", 1), integer("gen_ai.usage.output_tokens", 0)).toBuilder()
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)).build();

        assertThat(call(span, AttributeSet.GENAI).getStatus()).isEqualTo(CallStatus.ERROR);
    }

    private UsageEvent call(Span span, AttributeSet expected) {
        SpanMapping mapping = mapper.map(span, RESOURCE, null);
        assertThat(mapping).isInstanceOf(SpanMapping.Call.class);
        SpanMapping.Call call = (SpanMapping.Call) mapping;
        assertThat(call.attributeSet()).isEqualTo(expected);
        return call.event();
    }

    static Span span(KeyValue... attributes) {
        long start = 1_764_236_400_000_000_000L;
        return Span.newBuilder().setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(TRACE)))
                .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(SPAN))).setName("chat")
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT).setStartTimeUnixNano(start).setEndTimeUnixNano(start + 1_250_000_000L)
                .addAllAttributes(new ArrayList<>(List.of(attributes))).build();
    }

    static KeyValue text(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    static KeyValue doubleValue(String key, double value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setDoubleValue(value)).build();
    }
}
