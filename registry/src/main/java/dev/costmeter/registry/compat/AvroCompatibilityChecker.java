package dev.costmeter.registry.compat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;

/**
 * Checks a proposed Avro schema against earlier versions of a subject with Avro's own
 * {@link SchemaCompatibility}, the way Confluent Schema Registry does: newest version first, stopping
 * at the first version the proposal is incompatible with.
 */
public final class AvroCompatibilityChecker {

  /**
   * Returns the reasons the proposed schema is incompatible, in Confluent's message style; an empty
   * list means compatible.
   *
   * @param proposed the schema about to be registered or tested
   * @param previous earlier versions, oldest first (soft-deleted versions excluded by the caller)
   * @param level the level to enforce; non-transitive levels only look at the last element
   */
  public List<String> incompatibilities(
      Schema proposed, List<PreviousSchema> previous, CompatibilityLevel level) {
    if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
      return List.of();
    }
    List<PreviousSchema> toCheck =
        level.isTransitive() ? previous : List.of(previous.get(previous.size() - 1));
    for (int i = toCheck.size() - 1; i >= 0; i--) {
      PreviousSchema earlier = toCheck.get(i);
      List<String> messages = check(proposed, earlier.schema(), level);
      if (!messages.isEmpty()) {
        messages.add("{oldSchemaVersion: " + earlier.version() + "}");
        messages.add("{oldSchema: '" + earlier.schema() + "'}");
        messages.add("{compatibility: '" + level.name() + "'}");
        return messages;
      }
    }
    return List.of();
  }

  private static List<String> check(Schema proposed, Schema earlier, CompatibilityLevel level) {
    List<String> messages = new ArrayList<>();
    if (level.checksBackward()) {
      describe(SchemaCompatibility.checkReaderWriterCompatibility(proposed, earlier).getResult(),
          "the new schema cannot read data written with the old schema", messages);
    }
    if (level.checksForward()) {
      describe(SchemaCompatibility.checkReaderWriterCompatibility(earlier, proposed).getResult(),
          "the old schema cannot read data written with the new schema", messages);
    }
    return messages;
  }

  private static void describe(
      SchemaCompatibilityResult result, String direction, List<String> messages) {
    if (result.getCompatibility() != SchemaCompatibilityType.INCOMPATIBLE) {
      return;
    }
    for (Incompatibility incompatibility : result.getIncompatibilities()) {
      messages.add("{errorType:'" + incompatibility.getType()
          + "', description:'At path '" + incompatibility.getLocation() + "' " + direction
          + ": " + incompatibility.getMessage()
          + "', additionalInfo:'" + incompatibility.getMessage() + "'}");
    }
  }
}
