package dev.costmeter.connect.alerts;

import dev.costmeter.connect.decode.RegistrySettings;
import dev.costmeter.connect.isolation.ReadCommittedOnly;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of the alert sink: the endpoints, each under {@code endpoint.<name>.*}, how
 * deliveries retry, and the schema registry ({@link RegistrySettings}).
 *
 * <p>The keys of each endpoint exist only once {@value #ENDPOINTS_CONFIG} names it, so the
 * definition is built per configuration ({@link #configDef(List)}), as MirrorMaker does for its
 * clusters. Cross-field rules (a PagerDuty endpoint needs a routing key, only a PagerDuty endpoint
 * takes one) are checked by {@link #crossFieldErrors()} and enforced by the constructor, which also
 * refuses a consumer override that would read uncommitted alerts ({@link ReadCommittedOnly}).
 */
public final class AlertSinkConfig extends AbstractConfig {

    public static final String ENDPOINTS_GROUP = "Endpoints";
    public static final String DELIVERY_GROUP = "Delivery";

    public static final String ENDPOINTS_CONFIG = "endpoints";
    private static final String ENDPOINTS_DOC = "Names of the endpoints each alert is delivered to, comma-separated. "
            + "Each name N is configured with endpoint.N.url, endpoint.N.format and, for PagerDuty, endpoint.N.routing.key.";
    private static final String ENDPOINTS_DISPLAY = "Endpoints";

    public static final String ENDPOINT_PREFIX = "endpoint.";
    public static final String URL_SUFFIX = ".url";
    public static final String FORMAT_SUFFIX = ".format";
    public static final String ROUTING_KEY_SUFFIX = ".routing.key";
    public static final String RATE_SUFFIX = ".rate.limit.per.minute";
    public static final String BURST_SUFFIX = ".rate.limit.burst";

    public static final String HTTP_TIMEOUT_MS_CONFIG = "http.timeout.ms";
    private static final String HTTP_TIMEOUT_MS_DOC = "How long one delivery may take, connecting included, in milliseconds; "
            + "a delivery that takes longer is retried.";
    private static final String HTTP_TIMEOUT_MS_DISPLAY = "HTTP timeout (ms)";

    public static final String MAX_RETRIES_CONFIG = "max.retries";
    private static final String MAX_RETRIES_DOC = "Retries of one delivery after a timeout, a 429 or a 5xx, before the "
            + "task gives up on the batch for now and asks Connect to redeliver it after retry.backoff.max.ms.";
    private static final String MAX_RETRIES_DISPLAY = "Maximum retries";

    public static final String RETRY_BACKOFF_MS_CONFIG = "retry.backoff.ms";
    private static final String RETRY_BACKOFF_MS_DOC = "Wait before the first retry, in milliseconds; it doubles with each "
            + "further retry up to retry.backoff.max.ms. A 429's Retry-After replaces it when longer.";
    private static final String RETRY_BACKOFF_MS_DISPLAY = "Retry backoff (ms)";

    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "retry.backoff.max.ms";
    private static final String RETRY_BACKOFF_MAX_MS_DOC = "Longest wait between two retries, in milliseconds, "
            + "Retry-After included.";
    private static final String RETRY_BACKOFF_MAX_MS_DISPLAY = "Maximum retry backoff (ms)";

    private static final String NAME_PATTERN = "[a-z0-9][a-z0-9_-]*";

    private final List<Endpoint> endpoints;

    public AlertSinkConfig(Map<String, String> props) {
        super(configDef(endpointNames(props)), props);
        ReadCommittedOnly.require(props);
        List<String> errors = new ArrayList<>();
        crossFieldErrors().forEach((key, message) -> errors.add(key + ": " + message));
        if (!errors.isEmpty()) {
            throw new ConfigException(String.join("; ", errors));
        }
        this.endpoints = getList(ENDPOINTS_CONFIG).stream().map(this::endpoint).toList();
    }

    /** The definition without endpoint keys: what Connect shows before any endpoint is named. */
    public static final ConfigDef BASE_CONFIG_DEF = configDef(List.of());

    /** The definition for these endpoint names. */
    public static ConfigDef configDef(List<String> endpointNames) {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(ENDPOINTS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new EndpointNamesValidator(),
                Importance.HIGH, ENDPOINTS_DOC, ENDPOINTS_GROUP, ++order, Width.LONG, ENDPOINTS_DISPLAY);
        for (String name : endpointNames.stream().distinct().toList()) {
            if (!name.matches(NAME_PATTERN)) {
                continue; // reported on endpoints itself
            }
            String p = ENDPOINT_PREFIX + name;
            def.define(p + URL_SUFFIX, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, new WebhookUrlValidator(),
                            Importance.HIGH, "URL endpoint " + name + " receives POSTs at. Kept secret.",
                            ENDPOINTS_GROUP, ++order, Width.LONG, "Endpoint " + name + " URL")
                    .define(p + FORMAT_SUFFIX, Type.STRING, AlertFormat.JSON.configName(),
                            new FormatValidator(), Importance.HIGH,
                            "Payload format of endpoint " + name + ".", ENDPOINTS_GROUP, ++order, Width.SHORT,
                            "Endpoint " + name + " format")
                    .define(p + ROUTING_KEY_SUFFIX, Type.PASSWORD, null, Importance.HIGH,
                            "PagerDuty Events API v2 integration (routing) key of endpoint " + name
                                    + "; required when its format is pagerduty. Kept secret.",
                            ENDPOINTS_GROUP, ++order, Width.MEDIUM, "Endpoint " + name + " routing key")
                    .define(p + RATE_SUFFIX, Type.INT, 60, ConfigDef.Range.between(1, 60_000), Importance.LOW,
                            "Deliveries per minute endpoint " + name + " receives at most, sustained.",
                            ENDPOINTS_GROUP, ++order, Width.SHORT, "Endpoint " + name + " rate limit")
                    .define(p + BURST_SUFFIX, Type.INT, 10, ConfigDef.Range.between(1, 10_000), Importance.LOW,
                            "Deliveries endpoint " + name + " receives at once after a quiet spell.",
                            ENDPOINTS_GROUP, ++order, Width.SHORT, "Endpoint " + name + " burst");
        }
        order = 0;
        def.define(HTTP_TIMEOUT_MS_CONFIG, Type.INT, 10_000, ConfigDef.Range.between(100, 300_000), Importance.MEDIUM,
                        HTTP_TIMEOUT_MS_DOC, DELIVERY_GROUP, ++order, Width.SHORT, HTTP_TIMEOUT_MS_DISPLAY)
                .define(MAX_RETRIES_CONFIG, Type.INT, 5, ConfigDef.Range.between(0, 100), Importance.MEDIUM,
                        MAX_RETRIES_DOC, DELIVERY_GROUP, ++order, Width.SHORT, MAX_RETRIES_DISPLAY)
                .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, 1_000L, ConfigDef.Range.between(0, 600_000), Importance.MEDIUM,
                        RETRY_BACKOFF_MS_DOC, DELIVERY_GROUP, ++order, Width.SHORT, RETRY_BACKOFF_MS_DISPLAY)
                .define(RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, 60_000L, ConfigDef.Range.between(0, 600_000),
                        Importance.MEDIUM, RETRY_BACKOFF_MAX_MS_DOC, DELIVERY_GROUP, ++order, Width.SHORT,
                        RETRY_BACKOFF_MAX_MS_DISPLAY);
        return RegistrySettings.addTo(def);
    }

    /** The endpoint names in {@code props}, as written (invalid ones included, for messages). */
    static List<String> endpointNames(Map<String, ?> props) {
        Object raw = props.get(ENDPOINTS_CONFIG);
        if (raw == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String name : raw.toString().split(",")) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        return names;
    }

    /**
     * Errors that involve more than one key, by the key at fault: a PagerDuty endpoint without a
     * routing key, or a routing key on an endpoint of another format.
     */
    Map<String, String> crossFieldErrors() {
        return crossFieldErrors(originalsStrings());
    }

    static Map<String, String> crossFieldErrors(Map<String, String> props) {
        Map<String, String> errors = new HashMap<>();
        for (String name : endpointNames(props)) {
            String p = ENDPOINT_PREFIX + name;
            Optional<AlertFormat> format = AlertFormat.parse(props.getOrDefault(p + FORMAT_SUFFIX, AlertFormat.JSON.configName()));
            boolean hasKey = props.get(p + ROUTING_KEY_SUFFIX) != null && !props.get(p + ROUTING_KEY_SUFFIX).isBlank();
            if (format.isEmpty()) {
                continue; // the format's own validator reports it
            }
            if (format.get() == AlertFormat.PAGERDUTY && !hasKey) {
                errors.put(p + ROUTING_KEY_SUFFIX, "Required when " + p + FORMAT_SUFFIX + "=pagerduty");
            } else if (format.get() != AlertFormat.PAGERDUTY && hasKey) {
                errors.put(p + ROUTING_KEY_SUFFIX, "Only used when " + p + FORMAT_SUFFIX
                        + "=pagerduty; remove it so no secret sits in an unused key");
            }
        }
        return errors;
    }

    private Endpoint endpoint(String name) {
        String p = ENDPOINT_PREFIX + name;
        AlertFormat format = AlertFormat.parse(getString(p + FORMAT_SUFFIX)).orElseThrow();
        return new Endpoint(name, getPassword(p + URL_SUFFIX), format,
                Optional.ofNullable(getPassword(p + ROUTING_KEY_SUFFIX)), getInt(p + RATE_SUFFIX), getInt(p + BURST_SUFFIX));
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    public Duration httpTimeout() {
        return Duration.ofMillis(getInt(HTTP_TIMEOUT_MS_CONFIG));
    }

    public int maxRetries() {
        return getInt(MAX_RETRIES_CONFIG);
    }

    public Duration retryBackoff() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MS_CONFIG));
    }

    public Duration retryBackoffMax() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS_CONFIG));
    }

    /** Registry client settings, secrets revealed: never log the result. */
    public Map<String, Object> registryConfigs() {
        return RegistrySettings.clientConfigs(this);
    }

    /** Accepts a format name in any case. */
    static final class FormatValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (AlertFormat.parse(value == null ? null : value.toString()).isEmpty()) {
                throw new ConfigException(name, value, "Must be one of " + String.join(", ", AlertFormat.configNames()));
            }
        }

        @Override
        public String toString() {
            return "one of " + String.join(", ", AlertFormat.configNames()) + " (any case)";
        }
    }

    /** Checks the endpoint names: at least one, each well-formed and named once. */
    static final class EndpointNamesValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            @SuppressWarnings("unchecked")
            List<String> names = value == null ? List.of() : (List<String>) value;
            if (names.isEmpty()) {
                throw new ConfigException(name, names, "Name at least one endpoint");
            }
            for (String endpoint : names) {
                if (!endpoint.matches(NAME_PATTERN)) {
                    throw new ConfigException(name, endpoint, "An endpoint name must match " + NAME_PATTERN);
                }
                if (names.indexOf(endpoint) != names.lastIndexOf(endpoint)) {
                    throw new ConfigException(name, endpoint, "Endpoint named twice");
                }
            }
        }

        @Override
        public String toString() {
            return "one or more distinct names matching " + NAME_PATTERN;
        }
    }
}
