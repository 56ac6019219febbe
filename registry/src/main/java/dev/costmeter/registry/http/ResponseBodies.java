package dev.costmeter.registry.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.costmeter.registry.store.SchemaVersion;
import java.util.List;

/** The JSON shapes the registry answers with, named and ordered as Confluent's. */
final class ResponseBodies {

  private ResponseBodies() {
  }

  record Error(@JsonProperty("error_code") int errorCode, String message) {
  }

  record Id(int id) {
  }

  record SchemaText(String schema) {
  }

  record SubjectVersion(String subject, int version) {
  }

  @JsonPropertyOrder({"subject", "version", "id", "schema"})
  record Schema(String subject, int version, int id, String schema) {
    static Schema of(SchemaVersion version) {
      return new Schema(version.subject(), version.version(), version.id(), version.schema());
    }
  }

  record Compatibility(
      @JsonProperty("is_compatible") boolean isCompatible,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> messages) {
  }

  record CompatibilityLevel(String compatibilityLevel) {
  }

  record CompatibilityUpdate(String compatibility) {
  }

  record Mode(String mode) {
  }
}
