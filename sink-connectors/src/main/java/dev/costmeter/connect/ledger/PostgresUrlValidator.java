package dev.costmeter.connect.ledger;

import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Accepts a PostgreSQL JDBC URL that carries no credentials. The value is echoed in messages
 * without its query string, where a careless operator might have put a password.
 */
final class PostgresUrlValidator implements ConfigDef.Validator {

    static final String PREFIX = "jdbc:postgresql://";

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null) {
            return; // "missing required" is ConfigDef's own message
        }
        String url = value.toString().trim();
        if (!url.startsWith(PREFIX)) {
            throw new ConfigException(name, redacted(url), "Must start with " + PREFIX);
        }
        if (url.toLowerCase(Locale.ROOT).matches(".*[?&]password=.*")) {
            throw new ConfigException(name, redacted(url), "Put the password in connection.password, not in the URL");
        }
    }

    static String redacted(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?[redacted]";
    }

    @Override
    public String toString() {
        return "a PostgreSQL JDBC URL without credentials: jdbc:postgresql://host[:port]/database[?options]";
    }
}
