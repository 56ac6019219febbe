package dev.costmeter.registry.compat;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * A schema already registered under a subject, with its version number.
 *
 * @param version the subject version, 1 or more
 * @param schema the parsed schema
 */
public record PreviousSchema(int version, Schema schema) {
  public PreviousSchema {
    Objects.requireNonNull(schema, "schema");
  }
}
