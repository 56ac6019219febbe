package dev.costmeter.gateway.otlp;

import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.gateway.usage.UsageSink;
import dev.costmeter.runtime.auth.Caller;
import dev.costmeter.schemas.validation.Rejection;
import dev.costmeter.schemas.validation.UsageValidator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One OTLP export request in: every span mapped and every resulting event checked (the mapping, the
 * contract's {@link UsageValidator}, the caller's tenants) before anything is produced, so a request
 * is written whole or not at all. Spans without usage are counted and skipped.
 *
 * <p>Metrics: {@code costmeter_gateway_otlp_spans_total{outcome=call|no_usage}},
 * {@code costmeter_gateway_otlp_calls_total{attribute_set}}, and refused requests in
 * {@code costmeter_gateway_otlp_refused_total}.
 */
public final class TraceIngest {

    /** A request refused whole, with the reasons of its first few bad spans. */
    public static final class Refused extends IllegalArgumentException {
        public Refused(String message) {
            super(message);
        }
    }

    private static final int REASONS_SHOWN = 5;

    private final GenAiSpanMapper mapper;
    private final UsageValidator validator;
    private final UsageSink sink;
    private final Clock clock;
    private final Counter callSpans;
    private final Counter noUsageSpans;
    private final Counter refused;
    private final Map<AttributeSet, Counter> callsBySet = new EnumMap<>(AttributeSet.class);

    public TraceIngest(GenAiSpanMapper mapper, UsageValidator validator, UsageSink sink, Clock clock, MeterRegistry meters) {
        this.mapper = mapper;
        this.validator = validator;
        this.sink = sink;
        this.clock = clock;
        this.callSpans = meters.counter("costmeter.gateway.otlp.spans", "outcome", "call");
        this.noUsageSpans = meters.counter("costmeter.gateway.otlp.spans", "outcome", "no_usage");
        this.refused = meters.counter("costmeter.gateway.otlp.refused");
        for (AttributeSet set : AttributeSet.values()) {
            callsBySet.put(set, meters.counter("costmeter.gateway.otlp.calls", "attribute_set", set.label()));
        }
    }

    /** What a request held: the calls written and the spans skipped. */
    public record Result(int calls, int spansWithoutUsage) {
    }

    /**
     * @throws Refused when a span or event is invalid (nothing written)
     * @throws dev.costmeter.runtime.auth.AccessDeniedException when a call names a tenant the caller may not write
     */
    public Result ingest(ExportTraceServiceRequest request, Caller caller)
            throws UsageSink.Overloaded, UsageSink.NotAcknowledged, InterruptedException {
        String callerTenant = caller.tenants().size() == 1 ? caller.tenants().iterator().next() : null;
        List<UsageEvent> events = new ArrayList<>();
        List<AttributeSet> sets = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int withoutUsage = 0;
        long now = clock.millis();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    SpanMapping mapping = mapper.map(span, resourceSpans.getResource().getAttributesList(), callerTenant);
                    if (mapping instanceof SpanMapping.NoUsage) {
                        withoutUsage++;
                    } else if (mapping instanceof SpanMapping.Invalid invalid) {
                        problems.add(invalid.reason());
                    } else if (mapping instanceof SpanMapping.Call call) {
                        Optional<Rejection> rejection = validator.check(call.event().getTaskId(), call.event(), now);
                        if (rejection.isPresent()) {
                            problems.add(call.event().getEventId() + ": " + rejection.get().reason().tag() + ": "
                                    + rejection.get().detail());
                        } else {
                            events.add(call.event());
                            sets.add(call.attributeSet());
                        }
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            refused.increment();
            throw new Refused(problems.size() + " span(s) cannot be metered, nothing was written: "
                    + String.join("; ", problems.subList(0, Math.min(REASONS_SHOWN, problems.size())))
                    + (problems.size() > REASONS_SHOWN ? "; ..." : ""));
        }
        for (UsageEvent event : events) {
            caller.requireTenant(event.getTenantId(), "usage of tenant '" + event.getTenantId() + "'");
        }
        sink.produce(events);
        callSpans.increment(events.size());
        noUsageSpans.increment(withoutUsage);
        sets.forEach(set -> callsBySet.get(set).increment());
        return new Result(events.size(), withoutUsage);
    }

    /** Counts a request refused before mapping (undecodable body). */
    public void countRefused() {
        refused.increment();
    }
}
