package dev.costmeter.connect.alerts;

import java.net.URI;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Accepts an absolute http(s) URL; never echoes the value, which may embed a secret. */
final class WebhookUrlValidator implements ConfigDef.Validator {

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null) {
            return;
        }
        String raw = value instanceof Password password ? password.value() : value.toString();
        try {
            URI uri = URI.create(raw.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // Reported below, without the value.
        }
        throw new ConfigException(name, Password.HIDDEN, "Must be an absolute http:// or https:// URL");
    }

    @Override
    public String toString() {
        return "an absolute http:// or https:// URL (kept secret: a Slack webhook URL is a credential)";
    }
}
