package dev.costmeter.registry.store.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.registry.compat.CompatibilityLevel;
import dev.costmeter.registry.store.ConfigKey;
import dev.costmeter.registry.store.ConfigValue;
import dev.costmeter.registry.store.DeleteSubjectKey;
import dev.costmeter.registry.store.DeleteSubjectValue;
import dev.costmeter.registry.store.SchemaKey;
import dev.costmeter.registry.store.SchemaVersion;
import dev.costmeter.registry.store.StoreRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StoreRecordCodecTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final StoreRecordCodec codec = new StoreRecordCodec();

  @Test
  void shouldWriteSchemaRecordsInConfluentsFormat() throws IOException {
    SchemaVersion version = new SchemaVersion("s", 2, 7, "\"string\"", false);

    JsonNode key = MAPPER.readTree(codec.encodeKey(version.key()));
    JsonNode value = MAPPER.readTree(codec.encodeValue(version));

    assertThat(key.toString())
        .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":2,\"magic\":1}");
    assertThat(value.toString()).isEqualTo("{\"subject\":\"s\",\"version\":2,\"id\":7,"
        + "\"schema\":\"\\\"string\\\"\",\"deleted\":false}");
  }

  @Test
  void shouldWriteConfigRecordsInConfluentsFormat() throws IOException {
    assertThat(MAPPER.readTree(codec.encodeKey(ConfigKey.global())).toString())
        .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}");
    assertThat(MAPPER.readTree(codec.encodeKey(new ConfigKey("s"))).toString())
        .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":\"s\",\"magic\":0}");
    assertThat(MAPPER.readTree(codec.encodeValue(new ConfigValue(CompatibilityLevel.FULL)))
        .toString()).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
  }

  @Test
  void shouldWriteTombstonesAsNullValues() {
    assertThat(codec.encodeValue(null)).isNull();
  }

  static Stream<StoreRecord> records() {
    return Stream.of(
        StoreRecord.of(new SchemaVersion("s", 1, 3, "{\"type\":\"string\"}", true)),
        StoreRecord.tombstone(new SchemaKey("s", 1)),
        new StoreRecord(ConfigKey.global(), new ConfigValue(CompatibilityLevel.NONE)),
        new StoreRecord(new ConfigKey("s"), new ConfigValue(CompatibilityLevel.FORWARD)),
        StoreRecord.tombstone(new ConfigKey("s")),
        new StoreRecord(new DeleteSubjectKey("s"), new DeleteSubjectValue("s", 4)),
        StoreRecord.tombstone(new DeleteSubjectKey("s")));
  }

  @ParameterizedTest
  @MethodSource("records")
  void shouldReadBackWhatItWrites(StoreRecord record) {
    assertThat(codec.decode(codec.encodeKey(record.key()), codec.encodeValue(record.value())))
        .contains(record);
  }

  @Test
  void shouldReadRecordsWrittenByConfluentSchemaRegistry() {
    byte[] key = utf8("{\"keytype\":\"SCHEMA\",\"subject\":\"orders-value\",\"version\":1,"
        + "\"magic\":1}");
    byte[] value = utf8("{\"subject\":\"orders-value\",\"version\":1,\"id\":100001,"
        + "\"schemaType\":\"AVRO\",\"references\":[],\"metadata\":null,\"ruleSet\":null,"
        + "\"schema\":\"\\\"string\\\"\",\"deleted\":false}");

    assertThat(codec.decode(key, value)).contains(
        StoreRecord.of(new SchemaVersion("orders-value", 1, 100001, "\"string\"", false)));
  }

  @Test
  void shouldIgnoreKeyTypesItDoesNotUse() {
    assertThat(codec.decode(utf8("{\"keytype\":\"NOOP\",\"magic\":0}"), null)).isEmpty();
    assertThat(codec.decode(utf8("{\"keytype\":\"MODE\",\"subject\":null,\"magic\":0}"),
        utf8("{\"mode\":\"READWRITE\"}"))).isEmpty();
  }

  @Test
  void shouldRefuseRecordsItCannotUse() {
    byte[] key = utf8("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":1,\"magic\":1}");

    assertThatThrownBy(() -> codec.decode(key, utf8("{\"subject\":\"s\",\"version\":1,\"id\":1,"
        + "\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax\"}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PROTOBUF");
    assertThatThrownBy(() -> codec.decode(utf8("not json"), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> codec.decode(key, utf8("{\"subject\":\"s\"}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
