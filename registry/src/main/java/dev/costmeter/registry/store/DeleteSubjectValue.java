package dev.costmeter.registry.store;

import java.util.Objects;

/**
 * Soft-deletes every version of a subject up to and including {@code version}; versions
 * registered afterwards are live.
 *
 * @param subject the subject name
 * @param version the highest version the deletion covers
 */
public record DeleteSubjectValue(String subject, int version) implements StoreValue {
  public DeleteSubjectValue {
    Objects.requireNonNull(subject, "subject");
  }
}
