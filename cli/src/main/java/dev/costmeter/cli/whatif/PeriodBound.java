package dev.costmeter.cli.whatif;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/** Reads a period bound: an ISO-8601 instant, or a UTC day meaning its start (00:00Z). */
final class PeriodBound implements CommandLine.ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("\"" + value
                    + "\" is neither an ISO-8601 instant such as 2026-11-27T00:00:00Z nor a day such as 2026-11-27");
        }
    }
}
