package dev.costmeter.schemas.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Environment variables from before {@link ConfigLayers}, kept working: each maps to the key it
 * used to set, and loading warns once per variable, naming the {@code COSTMETER_*} spelling to use.
 */
@FunctionalInterface
public interface DeprecatedNames {

    /** The key the old variable {@code variable} sets, if it is one. */
    Optional<String> keyFor(String variable);

    /** None. */
    static DeprecatedNames none() {
        return variable -> Optional.empty();
    }

    /** Old variables named one by one: variable name to key. */
    static DeprecatedNames named(Map<String, String> variableToKey) {
        Map<String, String> copy = Map.copyOf(variableToKey);
        return variable -> Optional.ofNullable(copy.get(variable));
    }

    /**
     * Old variables by prefix: {@code TOPIC_USAGE} with {@code ("TOPIC_", "topic.")} sets
     * {@code topic.usage} (the rest lower-cased, underscores as dots; {@code knownSuffixes} lists
     * rest spellings with dashes, such as {@code task-outcomes}).
     */
    static DeprecatedNames prefixed(String variablePrefix, String keyPrefix, String... knownSuffixes) {
        return variable -> {
            if (!variable.startsWith(variablePrefix) || variable.length() == variablePrefix.length()) {
                return Optional.empty();
            }
            String rest = variable.substring(variablePrefix.length());
            for (String known : knownSuffixes) {
                if (known.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT).equals(rest)) {
                    return Optional.of(keyPrefix + known);
                }
            }
            return Optional.of(keyPrefix + rest.toLowerCase(Locale.ROOT).replace('_', '.'));
        };
    }

    /** This mapping, else {@code other}. */
    default DeprecatedNames or(DeprecatedNames other) {
        return variable -> keyFor(variable).or(() -> other.keyFor(variable));
    }
}
