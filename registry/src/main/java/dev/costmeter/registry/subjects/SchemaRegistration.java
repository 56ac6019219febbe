package dev.costmeter.registry.subjects;

import dev.costmeter.registry.compat.AvroCompatibilityChecker;
import dev.costmeter.registry.compat.CompatibilityLevel;
import dev.costmeter.registry.compat.PreviousSchema;
import dev.costmeter.registry.store.RegistryState;
import dev.costmeter.registry.store.SchemaStore;
import dev.costmeter.registry.store.SchemaVersion;
import dev.costmeter.registry.store.StoreRecord;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers schemas under subjects and tests their compatibility.
 *
 * <p>Ids are global: a schema already held by any subject keeps its id. Registering a schema a
 * subject already holds as a live version is a no-op that returns the existing id. New versions
 * are numbered after the highest version the subject ever kept, soft-deleted ones included.
 */
public final class SchemaRegistration {

  private static final Logger log = LoggerFactory.getLogger(SchemaRegistration.class);

  private final SchemaStore store;
  private final CompatibilitySettings settings;
  private final Lock writeLock;
  private final AvroCompatibilityChecker checker = new AvroCompatibilityChecker();
  private final Map<Integer, Schema> parsedById = new ConcurrentHashMap<>();

  /**
   * @param writeLock serializes id and version allocation with the other writers of this registry
   */
  public SchemaRegistration(SchemaStore store, CompatibilitySettings settings, Lock writeLock) {
    this.store = Objects.requireNonNull(store, "store");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.writeLock = Objects.requireNonNull(writeLock, "writeLock");
  }

  /**
   * Registers a schema under a subject.
   *
   * @return the schema's global id
   * @throws RegistryException 422/42201 for an invalid schema, 409 when incompatible with the
   *     subject's compatibility level
   */
  public int register(String subject, SchemaRequest request) {
    ProposedSchema proposed = ProposedSchema.parse(request);
    writeLock.lock();
    try {
      RegistryState state = store.state();
      List<SchemaVersion> live = state.versions(subject, false);
      Optional<SchemaVersion> existing =
          live.stream().filter(v -> v.schema().equals(proposed.canonical())).findFirst();
      if (existing.isPresent()) {
        return existing.get().id();
      }
      List<String> problems = checker.incompatibilities(
          proposed.schema(), parsed(live), settings.effectiveLevel(subject));
      if (!problems.isEmpty()) {
        throw RegistryException.incompatible(subject, problems);
      }
      int id = state.idOf(proposed.canonical()).orElse(state.maxId() + 1);
      int version = state.highestVersion(subject) + 1;
      store.append(StoreRecord.of(
          new SchemaVersion(subject, version, id, proposed.canonical(), false)));
      log.info("Registered schema id {} as version {} of subject {}", id, version, subject);
      return id;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Tests a schema against a subject.
   *
   * @param versionId the version to test against, or null for the versions the subject's level
   *     selects (exactly what registration would check)
   * @throws RegistryException 404/40401 or 404/40402 when a specific version does not exist,
   *     422/42201 for an invalid schema
   */
  public CompatibilityCheck test(String subject, VersionId versionId, SchemaRequest request) {
    RegistryState state = store.state();
    List<SchemaVersion> against;
    CompatibilityLevel level = settings.effectiveLevel(subject);
    if (versionId == null) {
      against = state.versions(subject, false);
    } else if (versionId.isLatest()) {
      against = state.latest(subject, false).map(List::of).orElse(List.of());
    } else {
      SchemaVersion version = state.version(subject, versionId.number())
          .filter(v -> !v.deleted())
          .orElseThrow(() -> state.versions(subject, false).isEmpty()
              ? RegistryException.subjectNotFound(subject)
              : RegistryException.versionNotFound(versionId.number()));
      against = List.of(version);
    }
    ProposedSchema proposed = ProposedSchema.parse(request);
    List<String> problems = checker.incompatibilities(proposed.schema(), parsed(against), level);
    return new CompatibilityCheck(problems.isEmpty(), problems);
  }

  private List<PreviousSchema> parsed(List<SchemaVersion> versions) {
    return versions.stream()
        .map(v -> new PreviousSchema(v.version(), parsedById.computeIfAbsent(
            v.id(), id -> new Schema.Parser().parse(v.schema()))))
        .toList();
  }
}
