package dev.costmeter.registry.http;

import java.util.List;
import java.util.Map;

/** The root, the supported schema types and the (fixed) mode. */
final class RootResources {

  private RootResources() {
  }

  static void addTo(Router router) {
    router.add("GET", "/", request -> ApiResponse.ok(Map.of()))
        .add("GET", "/schemas/types", request -> ApiResponse.ok(List.of("AVRO")))
        // Imports and read-only mode are not supported, so the mode never changes.
        .add("GET", "/mode", request -> ApiResponse.ok(new ResponseBodies.Mode("READWRITE")));
  }
}
