package dev.costmeter.registry.store;

import java.util.Objects;

/**
 * Identifies the soft-deletion marker of a subject.
 *
 * @param subject the subject name
 */
public record DeleteSubjectKey(String subject) implements StoreKey {
  public DeleteSubjectKey {
    Objects.requireNonNull(subject, "subject");
  }
}
