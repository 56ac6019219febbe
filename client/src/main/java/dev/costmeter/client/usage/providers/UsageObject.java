package dev.costmeter.client.usage.providers;

import java.util.Map;

/**
 * Reads token counts out of an already-parsed usage object, whatever JSON library parsed it:
 * Jackson yields Integer/Long/BigInteger, Gson yields Double, so any {@link Number} holding a whole
 * value is accepted and anything else is refused.
 */
final class UsageObject {

    private final String provider;
    private final Map<?, ?> fields;

    private UsageObject(String provider, Map<?, ?> fields) {
        this.provider = provider;
        this.fields = fields;
    }

    /**
     * The usage object itself, or the one under {@code wrapperKey} when given a whole response
     * (e.g. the {@code usage} field of a chat completion).
     */
    static UsageObject of(String provider, Map<?, ?> map, String wrapperKey) {
        if (map == null) {
            throw new UsageShapeException(provider + ": the usage object is null");
        }
        Object inner = map.get(wrapperKey);
        if (inner instanceof Map<?, ?> wrapped) {
            return new UsageObject(provider, wrapped);
        }
        if (inner != null) {
            throw new UsageShapeException(provider + ": '" + wrapperKey + "' is not an object");
        }
        return new UsageObject(provider, map);
    }

    /** A count that must be present. */
    long required(String name) {
        Object value = fields.get(name);
        if (value == null) {
            throw new UsageShapeException(provider + ": required field '" + name + "' is missing from " + fields.keySet());
        }
        return count(name, value);
    }

    /** A count that providers omit when it is zero. */
    long optional(String name) {
        Object value = fields.get(name);
        return value == null ? 0 : count(name, value);
    }

    /** A count inside a nested object, e.g. {@code prompt_tokens_details.cached_tokens}; 0 when absent. */
    long nested(String object, String name) {
        Object inner = fields.get(object);
        if (inner == null) {
            return 0;
        }
        if (!(inner instanceof Map<?, ?> details)) {
            throw new UsageShapeException(provider + ": '" + object + "' is not an object");
        }
        Object value = details.get(name);
        return value == null ? 0 : count(object + "." + name, value);
    }

    /** A text field (e.g. {@code service_tier}); null when absent. */
    String text(String name) {
        Object value = fields.get(name);
        if (value != null && !(value instanceof CharSequence)) {
            throw new UsageShapeException(provider + ": '" + name + "' is not text: " + value);
        }
        return value == null ? null : value.toString();
    }

    String provider() {
        return provider;
    }

    private long count(String name, Object value) {
        if (!(value instanceof Number number)) {
            throw new UsageShapeException(provider + ": '" + name + "' is not a number: " + value);
        }
        long whole;
        if (number instanceof Double || number instanceof Float || number instanceof java.math.BigDecimal) {
            double d = number.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d) || Math.abs(d) > 1e15) {
                throw new UsageShapeException(provider + ": '" + name + "' is not a whole number: " + value);
            }
            whole = (long) d;
        } else if (number instanceof java.math.BigInteger big) {
            if (big.bitLength() > 62) {
                throw new UsageShapeException(provider + ": '" + name + "' is out of range: " + value);
            }
            whole = big.longValue();
        } else {
            whole = number.longValue();
        }
        if (whole < 0) {
            throw new UsageShapeException(provider + ": '" + name + "' is negative: " + value);
        }
        return whole;
    }
}
