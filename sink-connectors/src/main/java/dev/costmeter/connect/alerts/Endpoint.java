package dev.costmeter.connect.alerts;

import java.net.URI;
import java.util.Optional;
import org.apache.kafka.common.config.types.Password;

/**
 * One configured webhook. Its URL is a secret (a Slack webhook URL is its own credential), so
 * {@link #toString()} shows only the name, format and host.
 *
 * @param name the endpoint's configured name
 * @param url where to POST; never logged whole
 * @param format the payload it expects
 * @param routingKey the PagerDuty integration key, for {@link AlertFormat#PAGERDUTY}
 * @param ratePerMinute sustained deliveries per minute
 * @param burst deliveries allowed at once after a quiet spell
 */
public record Endpoint(String name, Password url, AlertFormat format, Optional<Password> routingKey,
        int ratePerMinute, int burst) {

    /** The URL to send to. */
    URI uri() {
        return URI.create(url.value().trim());
    }

    /** {@code name (format, https://host)}: safe to log. */
    @Override
    public String toString() {
        URI uri = uri();
        return name + " (" + format.configName() + ", " + uri.getScheme() + "://" + uri.getHost() + ")";
    }
}
