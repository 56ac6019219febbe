package dev.costmeter.registry.http;

import dev.costmeter.registry.subjects.RegistryException;

/** Errors of the HTTP layer itself, worded as Confluent's Jersey-based server words them. */
final class HttpErrors {

  private HttpErrors() {
  }

  static RegistryException notFound() {
    return new RegistryException(404, 404, "HTTP 404 Not Found");
  }

  static RegistryException methodNotAllowed() {
    return new RegistryException(405, 405, "HTTP 405 Method Not Allowed");
  }

  static RegistryException notAcceptable() {
    return new RegistryException(406, 406, "HTTP 406 Not Acceptable");
  }

  static RegistryException unsupportedMediaType() {
    return new RegistryException(415, 415, "HTTP 415 Unsupported Media Type");
  }

  static RegistryException tooLarge(int limit) {
    return new RegistryException(413, 413, "Request body larger than " + limit + " bytes");
  }

  static RegistryException malformedJson(String detail) {
    return new RegistryException(400, 400, "Malformed JSON: " + detail);
  }

  static RegistryException unprocessable(String detail) {
    return new RegistryException(422, 422, "Unprocessable Entity: " + detail);
  }
}
