package dev.costmeter.cli.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * Whether a model name matches a genai-prices {@code match} clause: {@code equals},
 * {@code starts_with}, {@code ends_with}, {@code contains}, {@code regex}, and {@code or} /
 * {@code and} of clauses, as genai-prices itself matches them (case as written).
 */
final class GenaiPricesMatch {

    private GenaiPricesMatch() {
    }

    static boolean matches(JsonNode clause, String name) {
        if (clause == null || clause.isNull() || clause.isMissingNode()) {
            return false;
        }
        if (clause.has("or")) {
            for (JsonNode each : clause.get("or")) {
                if (matches(each, name)) {
                    return true;
                }
            }
            return false;
        }
        if (clause.has("and")) {
            for (JsonNode each : clause.get("and")) {
                if (!matches(each, name)) {
                    return false;
                }
            }
            return true;
        }
        if (clause.has("equals")) {
            return name.equals(clause.get("equals").asText());
        }
        if (clause.has("starts_with")) {
            return name.startsWith(clause.get("starts_with").asText());
        }
        if (clause.has("ends_with")) {
            return name.endsWith(clause.get("ends_with").asText());
        }
        if (clause.has("contains")) {
            return name.contains(clause.get("contains").asText());
        }
        if (clause.has("regex")) {
            return Pattern.compile(clause.get("regex").asText()).matcher(name).find();
        }
        return false;
    }
}
