package dev.costmeter.registry.http;

import dev.costmeter.registry.subjects.SchemaLookups;
import dev.costmeter.registry.subjects.SchemaRegistration;
import dev.costmeter.registry.subjects.SubjectDeletions;
import dev.costmeter.registry.subjects.SubjectRegistry;
import dev.costmeter.registry.subjects.VersionId;

/** {@code /subjects...}: registering, looking up, listing and deleting subject versions. */
final class SubjectResources {

  private final SchemaLookups lookups;
  private final SchemaRegistration registration;
  private final SubjectDeletions deletions;

  private SubjectResources(SubjectRegistry registry) {
    this.lookups = registry.lookups();
    this.registration = registry.registration();
    this.deletions = registry.deletions();
  }

  static void addTo(Router router, SubjectRegistry registry) {
    SubjectResources resources = new SubjectResources(registry);
    router.add("GET", "/subjects", resources::subjects)
        .add("POST", "/subjects/{subject}", resources::lookup)
        .add("DELETE", "/subjects/{subject}", resources::deleteSubject)
        .add("GET", "/subjects/{subject}/versions", resources::versions)
        .add("POST", "/subjects/{subject}/versions", resources::register)
        .add("GET", "/subjects/{subject}/versions/{version}", resources::version)
        .add("DELETE", "/subjects/{subject}/versions/{version}", resources::deleteVersion)
        .add("GET", "/subjects/{subject}/versions/{version}/schema", resources::rawSchema);
  }

  private ApiResponse subjects(ApiRequest request) {
    return ApiResponse.ok(lookups.subjects(request.flag("deleted")));
  }

  private ApiResponse lookup(ApiRequest request) {
    return ApiResponse.ok(ResponseBodies.Schema.of(lookups.lookup(
        request.path("subject"), request.schemaBody(), request.flag("deleted"))));
  }

  private ApiResponse versions(ApiRequest request) {
    return ApiResponse.ok(lookups.versions(request.path("subject"), request.flag("deleted")));
  }

  private ApiResponse register(ApiRequest request) {
    int id = registration.register(request.path("subject"), request.schemaBody());
    return ApiResponse.ok(new ResponseBodies.Id(id));
  }

  private ApiResponse version(ApiRequest request) {
    return ApiResponse.ok(ResponseBodies.Schema.of(lookups.version(
        request.path("subject"), VersionId.parse(request.path("version")),
        request.flag("deleted"))));
  }

  private ApiResponse rawSchema(ApiRequest request) {
    return ApiResponse.okRaw(lookups.version(
        request.path("subject"), VersionId.parse(request.path("version")),
        request.flag("deleted")).schema());
  }

  private ApiResponse deleteSubject(ApiRequest request) {
    return ApiResponse.ok(
        deletions.deleteSubject(request.path("subject"), request.flag("permanent")));
  }

  private ApiResponse deleteVersion(ApiRequest request) {
    return ApiResponse.ok(deletions.deleteVersion(
        request.path("subject"), VersionId.parse(request.path("version")),
        request.flag("permanent")));
  }
}
