package dev.costmeter.registry.http;

import dev.costmeter.registry.subjects.CompatibilityCheck;
import dev.costmeter.registry.subjects.SchemaRegistration;
import dev.costmeter.registry.subjects.VersionId;

/** {@code /compatibility/subjects/...}: testing a schema without registering it. */
final class CompatibilityResources {

  private final SchemaRegistration registration;

  private CompatibilityResources(SchemaRegistration registration) {
    this.registration = registration;
  }

  static void addTo(Router router, SchemaRegistration registration) {
    CompatibilityResources resources = new CompatibilityResources(registration);
    router.add("POST", "/compatibility/subjects/{subject}/versions/{version}",
            resources::againstVersion)
        .add("POST", "/compatibility/subjects/{subject}/versions", resources::againstLevel);
  }

  private ApiResponse againstVersion(ApiRequest request) {
    VersionId version = VersionId.parse(request.path("version"));
    return answer(request, registration.test(
        request.path("subject"), version, request.schemaBody()));
  }

  private ApiResponse againstLevel(ApiRequest request) {
    return answer(request, registration.test(
        request.path("subject"), null, request.schemaBody()));
  }

  private static ApiResponse answer(ApiRequest request, CompatibilityCheck check) {
    return ApiResponse.ok(new ResponseBodies.Compatibility(
        check.compatible(), request.flag("verbose") ? check.messages() : null));
  }
}
