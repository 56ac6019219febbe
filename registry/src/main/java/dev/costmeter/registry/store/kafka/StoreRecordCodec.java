package dev.costmeter.registry.store.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.costmeter.registry.compat.CompatibilityLevel;
import dev.costmeter.registry.store.ConfigKey;
import dev.costmeter.registry.store.ConfigValue;
import dev.costmeter.registry.store.DeleteSubjectKey;
import dev.costmeter.registry.store.DeleteSubjectValue;
import dev.costmeter.registry.store.SchemaKey;
import dev.costmeter.registry.store.SchemaVersion;
import dev.costmeter.registry.store.StoreKey;
import dev.costmeter.registry.store.StoreRecord;
import dev.costmeter.registry.store.StoreValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Encodes store records as the JSON keys and values Confluent Schema Registry writes to its
 * {@code _schemas} topic, e.g. key {@code {"keytype":"SCHEMA","subject":"s","version":1,"magic":1}}
 * with value {@code {"subject":"s","version":1,"id":1,"schema":"...","deleted":false}}.
 */
final class StoreRecordCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  byte[] encodeKey(StoreKey key) {
    ObjectNode node = MAPPER.createObjectNode();
    if (key instanceof SchemaKey schemaKey) {
      node.put("keytype", "SCHEMA").put("subject", schemaKey.subject())
          .put("version", schemaKey.version()).put("magic", 1);
    } else if (key instanceof ConfigKey configKey) {
      node.put("keytype", "CONFIG").put("subject", configKey.subject()).put("magic", 0);
    } else if (key instanceof DeleteSubjectKey deleteKey) {
      node.put("keytype", "DELETE_SUBJECT").put("subject", deleteKey.subject()).put("magic", 0);
    }
    return bytes(node);
  }

  /** Encodes a value; null (a tombstone) stays null. */
  byte[] encodeValue(StoreValue value) {
    if (value == null) {
      return null;
    }
    ObjectNode node = MAPPER.createObjectNode();
    if (value instanceof SchemaVersion version) {
      node.put("subject", version.subject()).put("version", version.version())
          .put("id", version.id()).put("schema", version.schema())
          .put("deleted", version.deleted());
    } else if (value instanceof ConfigValue config) {
      node.put("compatibilityLevel", config.compatibilityLevel().name());
    } else if (value instanceof DeleteSubjectValue deletion) {
      node.put("subject", deletion.subject()).put("version", deletion.version());
    }
    return bytes(node);
  }

  /**
   * Decodes a record read from the topic.
   *
   * @return empty for key types this registry does not use (Confluent's NOOP, MODE, ...)
   * @throws IllegalArgumentException for a record that is not valid for its key type
   */
  Optional<StoreRecord> decode(byte[] key, byte[] value) {
    JsonNode keyNode = tree(key);
    String keyType = keyNode.path("keytype").asText("");
    switch (keyType) {
      case "SCHEMA": {
        SchemaKey schemaKey = new SchemaKey(
            requiredText(keyNode, "subject"), requiredInt(keyNode, "version"));
        return Optional.of(new StoreRecord(schemaKey, value == null ? null : schema(tree(value))));
      }
      case "CONFIG": {
        JsonNode subject = keyNode.get("subject");
        ConfigKey configKey = new ConfigKey(
            subject == null || subject.isNull() ? null : subject.asText());
        return Optional.of(new StoreRecord(configKey, value == null ? null : config(tree(value))));
      }
      case "DELETE_SUBJECT": {
        DeleteSubjectKey deleteKey = new DeleteSubjectKey(requiredText(keyNode, "subject"));
        return Optional.of(new StoreRecord(deleteKey, value == null ? null
            : new DeleteSubjectValue(deleteKey.subject(), requiredInt(tree(value), "version"))));
      }
      default:
        return Optional.empty();
    }
  }

  private static SchemaVersion schema(JsonNode node) {
    String type = node.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new IllegalArgumentException("schema type " + type + " is not supported");
    }
    if (node.path("references").size() > 0) {
      throw new IllegalArgumentException("schema references are not supported");
    }
    return new SchemaVersion(requiredText(node, "subject"), requiredInt(node, "version"),
        requiredInt(node, "id"), requiredText(node, "schema"),
        node.path("deleted").asBoolean(false));
  }

  /** A config value without a level (Confluent may write other settings only) clears it. */
  private static ConfigValue config(JsonNode node) {
    JsonNode level = node.get("compatibilityLevel");
    if (level == null || level.isNull()) {
      return null;
    }
    return new ConfigValue(CompatibilityLevel.parse(level.asText()).orElseThrow(
        () -> new IllegalArgumentException("unknown compatibility level " + level)));
  }

  private static String requiredText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("missing text field '" + field + "' in " + node);
    }
    return value.textValue();
  }

  private static int requiredInt(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
      throw new IllegalArgumentException("missing integer field '" + field + "' in " + node);
    }
    return value.intValue();
  }

  private static JsonNode tree(byte[] json) {
    if (json == null) {
      throw new IllegalArgumentException("missing key");
    }
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
