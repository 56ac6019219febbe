package dev.costmeter.cli.strictyaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds an operator's YAML file (a price catalog, a budget file) to spec records, strictly: a key
 * given twice is refused by the parser, and YAML that is not the file's shape (a list where a mapping
 * belongs, a mapping where a single value belongs) is reported with its path. Leaves are
 * {@link Scalar}s, and every spec record collects the keys it does not know in a last component
 * {@code @JsonAnySetter @JsonProperty(access = READ_ONLY) Map<String, Object> unknownKeys} (READ_ONLY so
 * that a key spelled {@code unknown_keys} is collected too, not bound as that component). Wrong values
 * and unknown keys are thus left to the caller's validation, which reports all of them at once; a shape
 * error stops binding, since nothing below it can be read. Keys are snake_case ({@code limit_usd} binds
 * {@code limitUsd}).
 */
public final class StrictYaml {

    private static final ObjectMapper MAPPER = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // a spec record without its unknownKeys collector still refuses what it does not know
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // nothing in a spec binds a number directly, but should one ever, a float stays exact
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private final String fileShape;
    private final Map<Class<?>, String> mappingShapes;

    /**
     * @param fileShape the whole problem when the file is not a mapping, e.g. {@code the catalog must be a
     *     mapping with the keys as_of and models}
     * @param mappingShapes for each spec record, the problem when its place holds something else, e.g.
     *     {@code must be a mapping of fields (provider, model, rates, source)}
     */
    public StrictYaml(String fileShape, Map<Class<?>, String> mappingShapes) {
        this.fileShape = fileShape;
        this.mappingShapes = Map.copyOf(mappingShapes);
    }

    /** The file bound to {@code type}, or empty with the reason recorded in {@code problems}. */
    public <T> Optional<T> read(String text, Class<T> type, Problems problems) {
        try {
            T file = MAPPER.readValue(text, type);
            if (file == null) {
                problems.add("", fileShape);
            }
            return Optional.ofNullable(file);
        } catch (JsonProcessingException e) {
            // data binding wraps what the YAML parser refuses (bad syntax, a duplicate key) with its path
            StreamReadException unreadable = unreadable(e);
            String at = e instanceof JsonMappingException mapping ? path(mapping.getPath()) : "";
            if (unreadable == null) {
                // binding stops at the first misplaced list or mapping, which may lie before broken syntax
                unreadable = syntaxError(text);
                at = unreadable == null ? at : "";
            }
            if (unreadable != null) {
                problems.add("", "not valid YAML: " + unreadable.getOriginalMessage() + where(at, unreadable.getLocation()));
            } else {
                problems.add(at, at.isEmpty() ? fileShape : shapeOf(e));
            }
            return Optional.empty();
        }
    }

    private static StreamReadException syntaxError(String text) {
        try {
            MAPPER.readTree(text);
            return null;
        } catch (JsonProcessingException e) {
            return unreadable(e);
        }
    }

    private static StreamReadException unreadable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamReadException streamRead) {
                return streamRead;
            }
        }
        return null;
    }

    private String shapeOf(JsonProcessingException e) {
        Class<?> target = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (target == null) {
            return e.getOriginalMessage();
        }
        if (target == Scalar.class) {
            return "must be a single value (a string, number or true/false), not a list or mapping";
        }
        if (Collection.class.isAssignableFrom(target)) {
            return "must be a list";
        }
        return mappingShapes.getOrDefault(target, "must be a mapping");
    }

    /** Jackson's path as the operator reads it: {@code policies[2].limits[0].limit_usd}. */
    static String path(List<Reference> references) {
        StringBuilder at = new StringBuilder();
        for (Reference reference : references) {
            if (reference.getIndex() >= 0) {
                at.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                at.append(at.isEmpty() ? "" : ".").append(reference.getFieldName());
            }
        }
        return at.toString();
    }

    /** Where the parser was, e.g. {@code  (in models[0], line 5)}: a duplicate key is no use without it. */
    private static String where(String at, JsonLocation location) {
        List<String> where = new ArrayList<>();
        if (!at.isEmpty()) {
            where.add("in " + at);
        }
        if (location != null && location.getLineNr() > 0) {
            where.add("line " + location.getLineNr());
        }
        return where.isEmpty() ? "" : " (" + String.join(", ", where) + ")";
    }
}
