package dev.costmeter.cli.strictyaml;

import dev.costmeter.cli.money.Money;
import dev.costmeter.cli.strictyaml.Scalar.Kind;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The value rules the budget file and the price catalog share: each turns a {@link Scalar} as written
 * into a value, or records why it cannot and returns null, so the caller goes on to find the file's
 * other problems. An absent value (null) is returned as null without a problem; whether it is required
 * is the caller's rule.
 */
public final class ScalarRules {

    /** How a money field is spelled in messages: a price catalog holds rates, a budget file amounts. */
    public enum MoneyField {
        /** USD per million tokens, e.g. {@code "2.50"}. */
        RATE("rate", "\"2.50\""),
        /** A USD amount, e.g. {@code "250.00"}. */
        AMOUNT("amount", "\"250.00\"");

        private final String noun;
        private final String example;

        MoneyField(String noun, String example) {
            this.noun = noun;
            this.example = example;
        }
    }

    private ScalarRules() {
    }

    /**
     * USD as a quoted decimal (or a YAML integer, which is exact) converted to non-negative nano-USD.
     * A YAML float is refused, never rounded: by the time it is read it is already a binary double.
     */
    public static Long usdNanos(Scalar value, MoneyField field, String at, Problems problems) {
        if (value == null) {
            return null;
        }
        if (value.is(Kind.FLOAT)) {
            problems.add(at, "must be a quoted decimal string such as " + field.example + ", not the YAML number " + value.text());
            return null;
        }
        if (!value.is(Kind.STRING) && !value.is(Kind.INTEGER)) {
            problems.add(at, "must be a quoted decimal string such as " + field.example);
            return null;
        }
        if (value.text().strip().startsWith("-")) {
            problems.add(at, "negative " + field.noun + " " + quote(value.text()));
            return null;
        }
        try {
            return Money.parseUsd(value.text());
        } catch (IllegalArgumentException e) {
            // Money's messages complete a sentence about the value; only its example is the catalog's
            problems.add(at, e.getMessage().replace("\"2.50\"", field.example));
            return null;
        }
    }

    /** A YAML integer from 1 to {@code max}. */
    public static Long wholeNumber(Scalar value, long max, String at, Problems problems) {
        if (value == null) {
            return null;
        }
        if (value.is(Kind.INTEGER)) {
            try {
                long whole = Long.parseLong(value.text());
                if (whole >= 1 && whole <= max) {
                    return whole;
                }
            } catch (NumberFormatException e) {
                // beyond a long: reported below like any other value out of range
            }
        }
        problems.add(at, "must be a whole number from 1 to " + max + ", not " + quote(value.text()));
        return null;
    }

    /** A string that is not blank, stripped; {@code problem} says what it should be. */
    public static String nonBlankText(Scalar value, String problem, String at, Problems problems) {
        if (value == null) {
            return null;
        }
        if (!value.is(Kind.STRING) || value.text().isBlank()) {
            problems.add(at, problem);
            return null;
        }
        return value.text().strip();
    }

    /** One of {@code type}'s constants, in any case; required: absence is a problem of the mapping {@code parent}. */
    public static <E extends Enum<E>> E requiredEnum(Scalar value, Class<E> type, String parent, String field,
            Problems problems) {
        if (value == null) {
            problems.missing(parent, field);
            return null;
        }
        return enumValue(value, type, Problems.at(parent, field), problems);
    }

    /** One of {@code type}'s constants, in any case. */
    public static <E extends Enum<E>> E enumValue(Scalar value, Class<E> type, String at, Problems problems) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.text().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String names = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
            problems.add(at, "must be one of " + names + ", not " + quote(value.text()));
            return null;
        }
    }

    /** A YAML flow list as the operator would recognise it in a message, e.g. {@code [70, 50]}. */
    public static String flowList(List<Scalar> values) {
        return values.stream().map(v -> v == null ? "null" : v.flowText()).collect(Collectors.joining(", ", "[", "]"));
    }

    /** {@code "text"}: the value as the operator wrote it, in quotes. */
    public static String quote(String text) {
        return "\"" + text + "\"";
    }
}
