package dev.costmeter.registry.store;

import java.util.Objects;

/**
 * Identifies one version of a subject.
 *
 * @param subject the subject name
 * @param version the version number, 1 or more
 */
public record SchemaKey(String subject, int version) implements StoreKey {
  public SchemaKey {
    Objects.requireNonNull(subject, "subject");
  }
}
