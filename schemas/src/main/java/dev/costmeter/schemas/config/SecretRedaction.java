package dev.costmeter.schemas.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What of a configuration may be shown in a log line: the value of a key that names a secret is
 * replaced, and so are the credentials of any URL ({@code http://user:pass@registry:8081}).
 */
public final class SecretRedaction {

    public static final String REDACTED = "[redacted]";
    private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s,]+@");

    private SecretRedaction() {
    }

    /**
     * Whether {@code key} names a secret: it contains {@code password}, {@code secret},
     * {@code key}, {@code token}, {@code credentials}, {@code jaas} or {@code user.info}. Over-
     * inclusive on purpose ({@code default.key.serde} is redacted too): a leaked secret costs more
     * than a hidden serde name.
     */
    public static boolean isSensitive(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("key")
                || k.contains("token") || k.contains("credentials") || k.contains("jaas")
                || k.contains("user.info");
    }

    /** {@code value} as it may be logged under {@code key}. */
    public static String display(String key, String value) {
        return isSensitive(key) ? REDACTED : USER_INFO.matcher(value).replaceAll("$1" + REDACTED + "@");
    }

    /** Every key and its loggable value, sorted by key. */
    public static Map<String, String> displayed(Map<String, ?> config) {
        Map<String, String> shown = new TreeMap<>();
        config.forEach((key, value) -> shown.put(key, display(key, String.valueOf(value))));
        return shown;
    }
}
