package dev.costmeter.registry.http;

import java.util.Locale;
import java.util.Set;

/** Content negotiation as Confluent Schema Registry does it, reduced to what clients send. */
final class MediaTypes {

  static final String SCHEMA_REGISTRY_V1_JSON = "application/vnd.schemaregistry.v1+json";
  static final String JSON = "application/json";

  private static final Set<String> REQUEST_TYPES = Set.of(
      SCHEMA_REGISTRY_V1_JSON, "application/vnd.schemaregistry+json", JSON,
      "application/octet-stream");
  private static final Set<String> RESPONSE_TYPES = Set.of(
      SCHEMA_REGISTRY_V1_JSON, "application/vnd.schemaregistry+json", JSON, "application/*",
      "*/*");

  private MediaTypes() {
  }

  /**
   * The content type to answer with for an {@code Accept} header.
   *
   * @throws dev.costmeter.registry.subjects.RegistryException 406 when nothing acceptable is listed
   */
  static String responseType(String acceptHeader) {
    if (acceptHeader == null || acceptHeader.isBlank()) {
      return SCHEMA_REGISTRY_V1_JSON;
    }
    for (String candidate : acceptHeader.split(",")) {
      String type = bareType(candidate);
      if (RESPONSE_TYPES.contains(type)) {
        return JSON.equals(type) ? JSON : SCHEMA_REGISTRY_V1_JSON;
      }
    }
    throw HttpErrors.notAcceptable();
  }

  /**
   * Checks the {@code Content-Type} of a request body; an absent header is accepted.
   *
   * @throws dev.costmeter.registry.subjects.RegistryException 415 for a type that is not JSON
   */
  static void checkRequestType(String contentTypeHeader) {
    if (contentTypeHeader != null && !contentTypeHeader.isBlank()
        && !REQUEST_TYPES.contains(bareType(contentTypeHeader))) {
      throw HttpErrors.unsupportedMediaType();
    }
  }

  private static String bareType(String mediaType) {
    int parameters = mediaType.indexOf(';');
    String type = parameters < 0 ? mediaType : mediaType.substring(0, parameters);
    return type.trim().toLowerCase(Locale.ROOT);
  }
}
