package dev.costmeter.registry.http;

import dev.costmeter.registry.store.SchemaVersion;
import dev.costmeter.registry.subjects.SchemaLookups;

/** {@code /schemas/ids/{id}...}: schemas by global id. */
final class SchemaResources {

  private final SchemaLookups lookups;

  private SchemaResources(SchemaLookups lookups) {
    this.lookups = lookups;
  }

  static void addTo(Router router, SchemaLookups lookups) {
    SchemaResources resources = new SchemaResources(lookups);
    router.add("GET", "/schemas/ids/{id}", resources::schema)
        .add("GET", "/schemas/ids/{id}/schema", resources::rawSchema)
        .add("GET", "/schemas/ids/{id}/versions", resources::versions)
        .add("GET", "/schemas/ids/{id}/subjects", resources::subjects);
  }

  private ApiResponse schema(ApiRequest request) {
    return ApiResponse.ok(new ResponseBodies.SchemaText(lookups.schema(id(request))));
  }

  private ApiResponse rawSchema(ApiRequest request) {
    return ApiResponse.okRaw(lookups.schema(id(request)));
  }

  private ApiResponse versions(ApiRequest request) {
    return ApiResponse.ok(lookups.versionsWithId(id(request), request.flag("deleted")).stream()
        .map(v -> new ResponseBodies.SubjectVersion(v.subject(), v.version()))
        .toList());
  }

  private ApiResponse subjects(ApiRequest request) {
    return ApiResponse.ok(lookups.versionsWithId(id(request), request.flag("deleted")).stream()
        .map(SchemaVersion::subject)
        .distinct()
        .toList());
  }

  /** Ids are integers; anything else is an unknown resource, as Jersey answers it. */
  private static int id(ApiRequest request) {
    try {
      return Integer.parseInt(request.path("id"));
    } catch (NumberFormatException e) {
      throw HttpErrors.notFound();
    }
  }
}
