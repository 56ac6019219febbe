package dev.costmeter.registry.http;

/**
 * What a route answers: a status and either an object to serialize as JSON or JSON text to send
 * as is.
 */
record ApiResponse(int status, Object entity, String rawJson) {

  static ApiResponse ok(Object entity) {
    return new ApiResponse(200, entity, null);
  }

  /** Sends already serialized JSON, such as a stored schema, byte for byte. */
  static ApiResponse okRaw(String json) {
    return new ApiResponse(200, null, json);
  }
}
