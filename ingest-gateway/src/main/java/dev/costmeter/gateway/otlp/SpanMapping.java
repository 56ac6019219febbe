package dev.costmeter.gateway.otlp;

import dev.costmeter.contracts.UsageEvent;

/** What one span becomes: a usage event, nothing (no usage on it), or a reason the request is refused. */
public sealed interface SpanMapping {

    /** An LLM call span, as the usage event it is, read with {@code attributeSet}. */
    record Call(UsageEvent event, AttributeSet attributeSet) implements SpanMapping {
    }

    /** A span without usage attributes (a tool call, an HTTP request, ...): counted and ignored. */
    record NoUsage() implements SpanMapping {
    }

    /** A span that claims usage but cannot be read as one call; the whole request is refused. */
    record Invalid(String reason) implements SpanMapping {
    }
}
