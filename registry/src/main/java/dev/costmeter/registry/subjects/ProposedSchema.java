package dev.costmeter.registry.subjects;

import java.util.Locale;
import org.apache.avro.Schema;

/**
 * A validated Avro schema and its canonical form. The canonical form, Avro's
 * {@code Schema.toString()} of the parsed schema, is the schema's identity: two texts that differ
 * only in whitespace are the same schema and get the same id.
 *
 * @param schema the parsed schema
 * @param canonical its canonical text
 */
record ProposedSchema(Schema schema, String canonical) {

  /**
   * Validates a client's schema.
   *
   * @throws RegistryException 422 with error code 42201 for a missing, unsupported or invalid schema
   */
  static ProposedSchema parse(SchemaRequest request) {
    String type = request.schemaType();
    if (type != null && !"AVRO".equals(type.toUpperCase(Locale.ROOT))) {
      throw RegistryException.invalidSchema("Invalid schema type " + type
          + ": this registry supports AVRO only");
    }
    if (request.references() != null && !request.references().isEmpty()) {
      throw RegistryException.invalidSchema(
          "Invalid schema: schema references are not supported by this registry");
    }
    if (request.schema() == null || request.schema().isBlank()) {
      throw RegistryException.invalidSchema("Invalid schema: empty schema");
    }
    Schema schema;
    try {
      schema = new Schema.Parser().parse(request.schema());
    } catch (RuntimeException e) {
      // SchemaParseException, AvroTypeException for bad defaults, and wrapped JSON errors alike.
      throw RegistryException.invalidSchema("Invalid schema " + request.schema()
          + ", details: " + e.getMessage());
    }
    return new ProposedSchema(schema, schema.toString());
  }
}
