package dev.costmeter.gateway.otlp;

import java.util.List;

/**
 * The spellings of LLM usage on a span that the receiver understands, each with the attribute names
 * it reads. Every set counts cached tokens inside its input (prompt) count: OpenTelemetry's GenAI
 * conventions say so ("input tokens SHOULD include all input tokens, cached ones included"), and
 * OpenLLMetry's and OpenInference's instrumentations fold Anthropic's cache reads and writes into
 * the prompt count. Where an instrumentation does not ({@link SpanMappingConfig#inputExcludesCache}),
 * the mapping is told per attribute set and provider.
 *
 * <p>Sources of the names (checked 2026-12): OpenTelemetry semantic-conventions-genai's registry
 * ({@code gen_ai.usage.*}, {@code gen_ai.provider.name}); OpenLLMetry's
 * {@code opentelemetry-semantic-conventions-ai} {@code SpanAttributes} ({@code LLM_USAGE_PROMPT_TOKENS},
 * {@code LLM_USAGE_CACHE_READ_INPUT_TOKENS}, {@code LLM_USAGE_REASONING_TOKENS}, {@code LLM_SYSTEM});
 * OpenInference's {@code spec/semantic_conventions.md} ({@code llm.token_count.*}, {@code llm.provider},
 * {@code llm.model_name}).
 */
public enum AttributeSet {

    /** OpenTelemetry GenAI semantic conventions (current spelling; the older deprecated cache spellings too). */
    GENAI("genai",
            List.of("gen_ai.usage.input_tokens"),
            List.of("gen_ai.usage.output_tokens"),
            List.of("gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens"),
            List.of("gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens"),
            List.of("gen_ai.usage.reasoning.output_tokens"),
            List.of("gen_ai.provider.name", "gen_ai.system"),
            List.of("gen_ai.response.model", "gen_ai.request.model")),

    /** OpenLLMetry (Traceloop) before it moved to the GenAI names: prompt/completion tokens. */
    OPENLLMETRY("openllmetry",
            List.of("gen_ai.usage.prompt_tokens"),
            List.of("gen_ai.usage.completion_tokens"),
            List.of("gen_ai.usage.cache_read_input_tokens"),
            List.of("gen_ai.usage.cache_creation_input_tokens"),
            List.of("gen_ai.usage.reasoning_tokens"),
            List.of("gen_ai.system", "gen_ai.provider.name"),
            List.of("gen_ai.response.model", "gen_ai.request.model")),

    /** OpenInference (Arize Phoenix): {@code llm.token_count.*}. */
    OPENINFERENCE("openinference",
            List.of("llm.token_count.prompt"),
            List.of("llm.token_count.completion"),
            List.of("llm.token_count.prompt_details.cache_read"),
            List.of("llm.token_count.prompt_details.cache_write"),
            List.of("llm.token_count.completion_details.reasoning"),
            List.of("llm.provider", "llm.system"),
            List.of("llm.model_name"));

    private final String label;
    final List<String> input;
    final List<String> output;
    final List<String> cacheRead;
    final List<String> cacheWrite;
    final List<String> reasoning;
    final List<String> provider;
    final List<String> model;

    AttributeSet(String label, List<String> input, List<String> output, List<String> cacheRead, List<String> cacheWrite,
            List<String> reasoning, List<String> provider, List<String> model) {
        this.label = label;
        this.input = input;
        this.output = output;
        this.cacheRead = cacheRead;
        this.cacheWrite = cacheWrite;
        this.reasoning = reasoning;
        this.provider = provider;
        this.model = model;
    }

    /** The name recorded on each event (label {@code otel.attribute_set}) and used in configuration. */
    public String label() {
        return label;
    }

    /** Parses a label, e.g. {@code genai}. */
    public static AttributeSet ofLabel(String label) {
        for (AttributeSet set : values()) {
            if (set.label.equals(label)) {
                return set;
            }
        }
        throw new IllegalArgumentException("unknown attribute set '" + label + "': expected genai, openllmetry or openinference");
    }
}
