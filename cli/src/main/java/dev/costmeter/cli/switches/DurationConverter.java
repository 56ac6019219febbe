package dev.costmeter.cli.switches;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads {@code 90s}, {@code 15m}, {@code 1h}, {@code 2d} or an ISO-8601 duration such as {@code PT1H30M}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("([0-9]{1,9})([smhd])");

    @Override
    public Duration convert(String value) {
        Matcher m = SHORT.matcher(value.strip().toLowerCase(Locale.ROOT));
        Duration duration;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            duration = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                duration = Duration.parse(value.strip());
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 90s, 15m, 1h, 2d or PT1H30M");
            }
        }
        if (duration.isNegative() || duration.isZero() || duration.toMillis() == 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' must be a positive duration of at least a millisecond");
        }
        return duration;
    }
}
