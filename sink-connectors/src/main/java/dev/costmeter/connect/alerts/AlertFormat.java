package dev.costmeter.connect.alerts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The payload shape an endpoint expects. */
public enum AlertFormat {
    /** Every alert field as plain JSON, for a generic webhook or on-call inbox. */
    JSON("json"),
    /** A Slack incoming-webhook message: fallback text plus Block Kit blocks. */
    SLACK("slack"),
    /** A PagerDuty Events API v2 event: trigger on FIRING, resolve on RESOLVED, one dedup key. */
    PAGERDUTY("pagerduty");

    private final String configName;

    AlertFormat(String configName) {
        this.configName = configName;
    }

    /** How the format is spelled in configuration. */
    public String configName() {
        return configName;
    }

    static Optional<AlertFormat> parse(String value) {
        String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(format -> format.configName.equals(wanted)).findFirst();
    }

    static String[] configNames() {
        return Arrays.stream(values()).map(AlertFormat::configName).toArray(String[]::new);
    }
}
