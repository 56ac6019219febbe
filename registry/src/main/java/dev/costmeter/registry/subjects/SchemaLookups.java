package dev.costmeter.registry.subjects;

import dev.costmeter.registry.store.RegistryState;
import dev.costmeter.registry.store.SchemaStore;
import dev.costmeter.registry.store.SchemaVersion;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Read-only queries on subjects, versions and ids, with Confluent's not-found semantics.
 * Soft-deleted versions are invisible unless {@code includeDeleted} is true.
 */
public final class SchemaLookups {

  private final SchemaStore store;

  public SchemaLookups(SchemaStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Subject names in order. */
  public SortedSet<String> subjects(boolean includeDeleted) {
    return state().subjects(includeDeleted);
  }

  /**
   * The version numbers of a subject in ascending order.
   *
   * @throws RegistryException 404/40401 when the subject has no visible version
   */
  public List<Integer> versions(String subject, boolean includeDeleted) {
    List<SchemaVersion> versions = state().versions(subject, includeDeleted);
    if (versions.isEmpty()) {
      throw RegistryException.subjectNotFound(subject);
    }
    return versions.stream().map(SchemaVersion::version).toList();
  }

  /**
   * One version of a subject.
   *
   * @throws RegistryException 404/40401 for an unknown subject, 404/40402 for an unknown version
   */
  public SchemaVersion version(String subject, VersionId versionId, boolean includeDeleted) {
    RegistryState state = state();
    Optional<SchemaVersion> found = versionId.isLatest()
        ? state.latest(subject, includeDeleted)
        : state.version(subject, versionId.number()).filter(v -> includeDeleted || !v.deleted());
    return found.orElseThrow(() -> state.versions(subject, includeDeleted).isEmpty()
        ? RegistryException.subjectNotFound(subject)
        : RegistryException.versionNotFound(versionId.number()));
  }

  /**
   * The schema registered under a global id.
   *
   * @throws RegistryException 404/40403 when no version holds that id
   */
  public String schema(int id) {
    return state().schema(id).orElseThrow(() -> RegistryException.schemaNotFound(id));
  }

  /**
   * The subject versions that hold a global id.
   *
   * @throws RegistryException 404/40403 when no version holds that id
   */
  public List<SchemaVersion> versionsWithId(int id, boolean includeDeleted) {
    schema(id);
    return state().versionsWithId(id, includeDeleted);
  }

  /**
   * Finds the version of a subject that holds the given schema.
   *
   * @throws RegistryException 422/42201 for an invalid schema, 404/40401 for an unknown subject,
   *     404/40403 when the subject does not hold the schema
   */
  public SchemaVersion lookup(String subject, SchemaRequest request, boolean includeDeleted) {
    ProposedSchema proposed = ProposedSchema.parse(request);
    List<SchemaVersion> versions = state().versions(subject, includeDeleted);
    if (versions.isEmpty()) {
      throw RegistryException.subjectNotFound(subject);
    }
    return versions.stream()
        .filter(v -> v.schema().equals(proposed.canonical()))
        .max(Comparator.comparingInt(SchemaVersion::version))
        .orElseThrow(RegistryException::schemaNotFound);
  }

  private RegistryState state() {
    return store.state();
  }
}
