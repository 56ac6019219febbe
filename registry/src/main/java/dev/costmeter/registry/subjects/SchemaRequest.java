package dev.costmeter.registry.subjects;

import java.util.List;

/**
 * A schema as sent by a client, not yet validated.
 *
 * @param schema the schema text (JSON for Avro)
 * @param schemaType the declared type; null means AVRO
 * @param references schema references, which this registry does not support; null or empty
 */
public record SchemaRequest(String schema, String schemaType, List<?> references) {
}
