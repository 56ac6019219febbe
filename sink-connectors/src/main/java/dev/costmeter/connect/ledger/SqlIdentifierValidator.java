package dev.costmeter.connect.ledger;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Accepts a plain lower-case SQL identifier, safe to splice into DDL without quoting. */
final class SqlIdentifierValidator implements ConfigDef.Validator {

    private static final String PATTERN = "[a-z_][a-z0-9_]{0,62}";

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null || !value.toString().matches(PATTERN)) {
            throw new ConfigException(name, value, "Must be a lower-case SQL identifier of at most 63 characters");
        }
    }

    @Override
    public String toString() {
        return "a lower-case SQL identifier matching " + PATTERN;
    }
}
