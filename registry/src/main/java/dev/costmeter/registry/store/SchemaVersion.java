package dev.costmeter.registry.store;

import java.util.Objects;

/**
 * One version of a subject: which globally identified schema it holds and whether it is
 * soft-deleted.
 *
 * @param subject the subject name
 * @param version the version number within the subject, 1 or more
 * @param id the global schema id, shared by every subject holding the same schema
 * @param schema the schema in canonical form (Avro's {@code Schema.toString()})
 * @param deleted true once soft-deleted
 */
public record SchemaVersion(String subject, int version, int id, String schema, boolean deleted)
    implements StoreValue {

  public SchemaVersion {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
  }

  /** The key this version is stored under. */
  public SchemaKey key() {
    return new SchemaKey(subject, version);
  }

  /** This version marked as soft-deleted. */
  public SchemaVersion asDeleted() {
    return new SchemaVersion(subject, version, id, schema, true);
  }
}
