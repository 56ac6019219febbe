package dev.costmeter.registry.store;

import dev.costmeter.registry.compat.CompatibilityLevel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The registry's state, materialized from its log by applying {@link StoreRecord}s in log order.
 * Both stores feed the same class, so replaying a Kafka topic and writing in memory agree by
 * construction.
 *
 * <p>Thread-safe: one thread applies records while request threads read. Each read is consistent
 * on its own; a sequence of reads is not a snapshot.
 */
public final class RegistryState {

  private static final Comparator<SchemaVersion> BY_SUBJECT_THEN_VERSION =
      Comparator.comparing(SchemaVersion::subject).thenComparingInt(SchemaVersion::version);

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, NavigableMap<Integer, SchemaVersion>> versionsBySubject =
      new HashMap<>();
  private final Map<Integer, Set<SchemaKey>> keysById = new HashMap<>();
  private final Map<Integer, String> schemaById = new HashMap<>();
  private final Map<String, Integer> idBySchema = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel;
  private int maxId;

  /** Applies one record of the log. */
  public void apply(StoreRecord record) {
    lock.writeLock().lock();
    try {
      StoreKey key = record.key();
      if (key instanceof SchemaKey schemaKey) {
        applySchema(schemaKey, (SchemaVersion) record.value());
      } else if (key instanceof ConfigKey configKey) {
        applyConfig(configKey, (ConfigValue) record.value());
      } else if (key instanceof DeleteSubjectKey && record.value() != null) {
        applySubjectDeletion((DeleteSubjectValue) record.value());
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** A version of a subject, soft-deleted or not. */
  public Optional<SchemaVersion> version(String subject, int version) {
    return read(() -> {
      NavigableMap<Integer, SchemaVersion> versions = versionsBySubject.get(subject);
      return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
    });
  }

  /** The versions of a subject in ascending order; empty when the subject is unknown. */
  public List<SchemaVersion> versions(String subject, boolean includeDeleted) {
    return read(() -> {
      NavigableMap<Integer, SchemaVersion> versions = versionsBySubject.get(subject);
      if (versions == null) {
        return List.of();
      }
      return versions.values().stream().filter(v -> includeDeleted || !v.deleted()).toList();
    });
  }

  /** The highest version of a subject; empty when it has no matching version. */
  public Optional<SchemaVersion> latest(String subject, boolean includeDeleted) {
    List<SchemaVersion> versions = versions(subject, includeDeleted);
    return versions.isEmpty()
        ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  /** The highest version number ever kept for the subject, deleted ones included; 0 if none. */
  public int highestVersion(String subject) {
    return read(() -> {
      NavigableMap<Integer, SchemaVersion> versions = versionsBySubject.get(subject);
      return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
    });
  }

  /** Subjects that have at least one version (a live one unless {@code includeDeleted}). */
  public SortedSet<String> subjects(boolean includeDeleted) {
    return read(() -> {
      SortedSet<String> subjects = new TreeSet<>();
      versionsBySubject.forEach((subject, versions) -> {
        if (versions.values().stream().anyMatch(v -> includeDeleted || !v.deleted())) {
          subjects.add(subject);
        }
      });
      return subjects;
    });
  }

  /** The schema with this global id, while any version (even soft-deleted) still holds it. */
  public Optional<String> schema(int id) {
    return read(() -> Optional.ofNullable(schemaById.get(id)));
  }

  /** The subject versions holding this schema id, ordered by subject and version. */
  public List<SchemaVersion> versionsWithId(int id, boolean includeDeleted) {
    return read(() -> {
      List<SchemaVersion> result = new ArrayList<>();
      for (SchemaKey key : keysById.getOrDefault(id, Set.of())) {
        SchemaVersion version = versionsBySubject.get(key.subject()).get(key.version());
        if (includeDeleted || !version.deleted()) {
          result.add(version);
        }
      }
      result.sort(BY_SUBJECT_THEN_VERSION);
      return result;
    });
  }

  /** The global id of a schema in canonical form, if any subject holds it. */
  public OptionalInt idOf(String canonicalSchema) {
    return read(() -> {
      Integer id = idBySchema.get(canonicalSchema);
      return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    });
  }

  /** The highest schema id seen, 0 when none; new ids are allocated above it. */
  public int maxId() {
    return read(() -> maxId);
  }

  /** The subject's own compatibility level, if set. */
  public Optional<CompatibilityLevel> subjectLevel(String subject) {
    return read(() -> Optional.ofNullable(subjectLevels.get(subject)));
  }

  /** The global compatibility level, if one was ever written. */
  public Optional<CompatibilityLevel> globalLevel() {
    return read(() -> Optional.ofNullable(globalLevel));
  }

  private void applySchema(SchemaKey key, SchemaVersion version) {
    NavigableMap<Integer, SchemaVersion> versions = versionsBySubject.get(key.subject());
    SchemaVersion previous = versions == null ? null : versions.get(key.version());
    if (previous != null) {
      unlink(previous);
    }
    if (version == null) {
      if (versions != null) {
        versions.remove(key.version());
        if (versions.isEmpty()) {
          versionsBySubject.remove(key.subject());
        }
      }
      return;
    }
    versionsBySubject.computeIfAbsent(key.subject(), s -> new TreeMap<>())
        .put(key.version(), version);
    keysById.computeIfAbsent(version.id(), id -> new LinkedHashSet<>()).add(key);
    schemaById.putIfAbsent(version.id(), version.schema());
    idBySchema.putIfAbsent(version.schema(), version.id());
    maxId = Math.max(maxId, version.id());
  }

  private void unlink(SchemaVersion version) {
    Set<SchemaKey> keys = keysById.get(version.id());
    if (keys == null) {
      return;
    }
    keys.remove(version.key());
    if (keys.isEmpty()) {
      keysById.remove(version.id());
      String schema = schemaById.remove(version.id());
      if (schema != null) {
        idBySchema.remove(schema, version.id());
      }
    }
  }

  private void applyConfig(ConfigKey key, ConfigValue value) {
    CompatibilityLevel level = value == null ? null : value.compatibilityLevel();
    if (key.subject() == null) {
      globalLevel = level;
    } else if (level == null) {
      subjectLevels.remove(key.subject());
    } else {
      subjectLevels.put(key.subject(), level);
    }
  }

  private void applySubjectDeletion(DeleteSubjectValue deletion) {
    NavigableMap<Integer, SchemaVersion> versions = versionsBySubject.get(deletion.subject());
    if (versions == null) {
      return;
    }
    versions.headMap(deletion.version(), true).replaceAll((v, version) -> version.asDeleted());
  }

  private <T> T read(Supplier<T> query) {
    lock.readLock().lock();
    try {
      return query.get();
    } finally {
      lock.readLock().unlock();
    }
  }
}
