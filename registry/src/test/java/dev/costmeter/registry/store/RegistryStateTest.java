package dev.costmeter.registry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.registry.compat.CompatibilityLevel;
import org.junit.jupiter.api.Test;

class RegistryStateTest {

  private final RegistryState state = new RegistryState();

  @Test
  void shouldIndexVersionsBySubjectAndId() {
    state.apply(StoreRecord.of(new SchemaVersion("a", 1, 1, "s1", false)));
    state.apply(StoreRecord.of(new SchemaVersion("b", 1, 1, "s1", false)));
    state.apply(StoreRecord.of(new SchemaVersion("a", 2, 2, "s2", false)));

    assertThat(state.subjects(false)).containsExactly("a", "b");
    assertThat(state.versions("a", false)).extracting(SchemaVersion::version).containsExactly(1, 2);
    assertThat(state.versionsWithId(1, false)).extracting(SchemaVersion::subject)
        .containsExactly("a", "b");
    assertThat(state.idOf("s2")).hasValue(2);
    assertThat(state.schema(2)).contains("s2");
    assertThat(state.maxId()).isEqualTo(2);
    assertThat(state.latest("a", false)).map(SchemaVersion::version).contains(2);
  }

  @Test
  void shouldMarkVersionsUpToTheWatermarkDeletedOnSubjectDeletion() {
    state.apply(StoreRecord.of(new SchemaVersion("a", 1, 1, "s1", false)));
    state.apply(StoreRecord.of(new SchemaVersion("a", 2, 2, "s2", false)));
    state.apply(new StoreRecord(new DeleteSubjectKey("a"), new DeleteSubjectValue("a", 1)));

    assertThat(state.versions("a", false)).extracting(SchemaVersion::version).containsExactly(2);
    assertThat(state.versions("a", true)).extracting(SchemaVersion::deleted)
        .containsExactly(true, false);
    assertThat(state.highestVersion("a")).isEqualTo(2);
  }

  @Test
  void shouldForgetAnIdOnceTheLastVersionHoldingItIsTombstoned() {
    state.apply(StoreRecord.of(new SchemaVersion("a", 1, 1, "s1", true)));
    state.apply(StoreRecord.of(new SchemaVersion("b", 1, 1, "s1", true)));

    state.apply(StoreRecord.tombstone(new SchemaKey("a", 1)));
    assertThat(state.schema(1)).contains("s1");

    state.apply(StoreRecord.tombstone(new SchemaKey("b", 1)));
    assertThat(state.schema(1)).isEmpty();
    assertThat(state.idOf("s1")).isEmpty();
    assertThat(state.subjects(true)).isEmpty();
    assertThat(state.maxId()).isEqualTo(1);
  }

  @Test
  void shouldApplyAndRemoveCompatibilityLevels() {
    state.apply(new StoreRecord(ConfigKey.global(), new ConfigValue(CompatibilityLevel.FULL)));
    state.apply(new StoreRecord(new ConfigKey("a"), new ConfigValue(CompatibilityLevel.NONE)));

    assertThat(state.globalLevel()).contains(CompatibilityLevel.FULL);
    assertThat(state.subjectLevel("a")).contains(CompatibilityLevel.NONE);

    state.apply(StoreRecord.tombstone(new ConfigKey("a")));
    state.apply(StoreRecord.tombstone(ConfigKey.global()));

    assertThat(state.subjectLevel("a")).isEmpty();
    assertThat(state.globalLevel()).isEmpty();
  }

  @Test
  void shouldReplaceAVersionRewrittenAsDeleted() {
    SchemaVersion live = new SchemaVersion("a", 1, 1, "s1", false);
    state.apply(StoreRecord.of(live));

    state.apply(StoreRecord.of(live.asDeleted()));

    assertThat(state.versions("a", false)).isEmpty();
    assertThat(state.version("a", 1)).map(SchemaVersion::deleted).contains(true);
    assertThat(state.schema(1)).contains("s1");
  }
}
