package dev.costmeter.gateway.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A span's attributes over its resource's: lookups by name, span first. */
final class SpanAttributes {

    private final Map<String, AnyValue> span;
    private final Map<String, AnyValue> resource;

    SpanAttributes(List<KeyValue> spanAttributes, List<KeyValue> resourceAttributes) {
        this.span = index(spanAttributes);
        this.resource = index(resourceAttributes);
    }

    private static Map<String, AnyValue> index(List<KeyValue> attributes) {
        Map<String, AnyValue> map = new HashMap<>();
        for (KeyValue kv : attributes) {
            map.putIfAbsent(kv.getKey(), kv.getValue());
        }
        return map;
    }

    /** Whether any of {@code names} is on the span. */
    boolean spanHasAny(List<String> names) {
        return names.stream().anyMatch(span::containsKey);
    }

    /** The first of {@code names} present as a non-blank text, on the span then on the resource. */
    Optional<String> text(List<String> names) {
        for (Map<String, AnyValue> level : List.of(span, resource)) {
            for (String name : names) {
                AnyValue value = level.get(name);
                String text = value == null ? null : asText(value);
                if (text != null && !text.isBlank()) {
                    return Optional.of(text);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The first of {@code names} present on the span as a token count: a non-negative whole number,
     * sent as an int, a whole double or a decimal string (instrumentations differ).
     *
     * @throws IllegalArgumentException naming the attribute when its value is not such a count
     */
    Optional<Long> count(List<String> names) {
        for (String name : names) {
            AnyValue value = span.get(name);
            if (value == null) {
                continue;
            }
            long count = switch (value.getValueCase()) {
                case INT_VALUE -> value.getIntValue();
                case DOUBLE_VALUE -> whole(name, BigDecimal.valueOf(value.getDoubleValue()));
                case STRING_VALUE -> {
                    try {
                        yield whole(name, new BigDecimal(value.getStringValue().trim()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(name + " is not a number: '" + value.getStringValue() + "'");
                    }
                }
                default -> throw new IllegalArgumentException(name + " is a " + value.getValueCase() + ", not a token count");
            };
            if (count < 0) {
                throw new IllegalArgumentException(name + " is negative: " + count);
            }
            return Optional.of(count);
        }
        return Optional.empty();
    }

    private static long whole(String name, BigDecimal number) {
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + " is not a whole number of tokens: " + number.toPlainString());
        }
    }

    private static String asText(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            default -> null;
        };
    }
}
