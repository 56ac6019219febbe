package dev.costmeter.runtime.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/** Parses the duration spellings {@link AppConfig#duration} accepts. */
final class DurationParser {

    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    static final String EXPECTED =
            "expected ISO-8601 (PT5M), a number with unit ms, s, m, h or d (30s), or milliseconds";

    private DurationParser() {
    }

    /** Parses {@code value} of {@code key}; {@code shown} is the value as errors may show it. */
    static Duration parse(String key, String value, String shown) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Duration result;
        try {
            if (v.startsWith("p") || v.startsWith("-p")) {
                result = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else if (v.chars().allMatch(Character::isDigit) && !v.isEmpty()) {
                result = Duration.ofMillis(Long.parseLong(v));
            } else {
                Matcher m = WITH_UNIT.matcher(v);
                if (!m.matches()) {
                    throw new ConfigException(key, shown, EXPECTED);
                }
                long amount = Long.parseLong(m.group(1));
                result = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw new ConfigException(key, shown, EXPECTED);
        }
        if (result.isNegative()) {
            throw new ConfigException(key, shown, "must not be negative");
        }
        return result;
    }
}
