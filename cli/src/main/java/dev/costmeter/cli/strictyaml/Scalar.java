package dev.costmeter.cli.strictyaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.Objects;

/**
 * One YAML value that is not a list or a mapping, kept as written. Spec records bind every leaf to
 * this type instead of {@code String}, {@code long} or {@code boolean} so that nothing is converted
 * behind the validation's back: Jackson would silently read the YAML float {@code 2.50} into a
 * binary double (or truncate {@code 50.5} into an int) and would stop at the first value it cannot
 * convert. The validation ({@link ScalarRules}) sees the kind and the text and reports every bad
 * value at once, with its path.
 *
 * @param kind what YAML made of the value: a quoted or plain string, an integer, a float, a boolean
 * @param text the value as text; a float's is only ever shown in a message, never converted to money
 */
@JsonDeserialize(using = Scalar.Reader.class)
public record Scalar(Kind kind, String text) {

    /** The scalar types YAML resolves a value to. */
    public enum Kind { STRING, INTEGER, FLOAT, BOOLEAN }

    public Scalar {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }

    public boolean is(Kind expected) {
        return kind == expected;
    }

    /** The value as it would appear in a YAML flow list: strings quoted, everything else bare. */
    String flowText() {
        return kind == Kind.STRING ? "\"" + text + "\"" : text;
    }

    /** Reads a scalar token as is; a list or mapping here is a shape error that names its path. */
    static final class Reader extends StdDeserializer<Scalar> {

        Reader() {
            super(Scalar.class);
        }

        @Override
        public Scalar deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return switch (parser.currentToken()) {
                case VALUE_STRING -> new Scalar(Kind.STRING, parser.getText());
                // the number's value, not its spelling: 0x1F and 1_000 are integers YAML has already read
                case VALUE_NUMBER_INT -> new Scalar(Kind.INTEGER, parser.getNumberValue().toString());
                // refused as money by the rules; the double only spells it in the message
                case VALUE_NUMBER_FLOAT -> new Scalar(Kind.FLOAT, Double.toString(parser.getDoubleValue()));
                // by token, not spelling: YAML also reads yes/no and on/off as booleans
                case VALUE_TRUE -> new Scalar(Kind.BOOLEAN, "true");
                case VALUE_FALSE -> new Scalar(Kind.BOOLEAN, "false");
                default -> (Scalar) context.handleUnexpectedToken(Scalar.class, parser);
            };
        }
    }
}
