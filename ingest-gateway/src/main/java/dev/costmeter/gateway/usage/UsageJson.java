package dev.costmeter.gateway.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.contracts.UsageEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * A usage event as plain JSON, field names and types as in the contract ({@code UsageEvent.avsc}):
 * no Avro union wrapping ({@code "prompt_version": "v3"}, not {@code {"string": "v3"}}), absent
 * optional fields take their schema defaults, {@code event_time} is epoch milliseconds or an
 * ISO-8601 instant. Driven by the schema itself, so a field added to the contract is accepted
 * here without a change. Refuses unknown fields, missing required ones and values of the wrong type,
 * naming the field; the contract's rules on values are {@link dev.costmeter.schemas.validation.UsageValidator}'s.
 */
public final class UsageJson {

    private static final Schema SCHEMA = UsageEvent.getClassSchema();

    private UsageJson() {
    }

    /**
     * @throws IllegalArgumentException naming the field at fault
     */
    public static UsageEvent parse(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a usage event is a JSON object");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (SCHEMA.getField(name) == null) {
                throw new IllegalArgumentException("unknown field '" + name + "'");
            }
        }
        GenericData.Record record = new GenericData.Record(SCHEMA);
        for (Schema.Field field : SCHEMA.getFields()) {
            JsonNode value = json.get(field.name());
            if (value == null) {
                if (!field.hasDefaultValue()) {
                    throw new IllegalArgumentException(field.name() + " is required");
                }
                record.put(field.pos(), GenericData.get().getDefaultValue(field));
            } else {
                record.put(field.pos(), convert(field.name(), field.schema(), value));
            }
        }
        return toSpecific(record);
    }

    private static Object convert(String name, Schema schema, JsonNode value) {
        switch (schema.getType()) {
            case UNION -> {
                if (value.isNull()) {
                    if (schema.getTypes().stream().noneMatch(s -> s.getType() == Schema.Type.NULL)) {
                        throw new IllegalArgumentException(name + " may not be null");
                    }
                    return null;
                }
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return convert(name, branch, value);
                    }
                }
                throw new IllegalArgumentException(name + " must be null");
            }
            case STRING -> {
                if (!value.isTextual()) {
                    throw new IllegalArgumentException(name + " must be a string");
                }
                return value.asText();
            }
            case LONG -> {
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis && value.isTextual()) {
                    try {
                        return Instant.parse(value.asText()).toEpochMilli();
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException(name + " '" + value.asText()
                                + "' is neither epoch milliseconds nor an ISO-8601 instant such as 2026-12-06T15:04:05Z");
                    }
                }
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw new IllegalArgumentException(name + " must be a whole number");
                }
                return value.longValue();
            }
            case INT -> {
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw new IllegalArgumentException(name + " must be a whole number (32-bit)");
                }
                return value.intValue();
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw new IllegalArgumentException(name + " must be true or false");
                }
                return value.booleanValue();
            }
            case ENUM -> {
                if (!value.isTextual() || !schema.getEnumSymbols().contains(value.asText())) {
                    throw new IllegalArgumentException(name + " must be one of " + schema.getEnumSymbols());
                }
                return new GenericData.EnumSymbol(schema, value.asText());
            }
            case MAP -> {
                if (!value.isObject()) {
                    throw new IllegalArgumentException(name + " must be an object");
                }
                Map<String, Object> map = new HashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    map.put(entry.getKey(), convert(name + "." + entry.getKey(), schema.getValueType(), entry.getValue()));
                }
                return map;
            }
            default -> throw new IllegalArgumentException(name + ": type " + schema.getType() + " is not supported in JSON");
        }
    }

    /** Through Avro binary: the generated class's own reader applies its logical types. */
    private static UsageEvent toSpecific(GenericData.Record record) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            new GenericDatumWriter<GenericData.Record>(SCHEMA).write(record, encoder);
            encoder.flush();
            return new SpecificDatumReader<UsageEvent>(UsageEvent.class)
                    .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
