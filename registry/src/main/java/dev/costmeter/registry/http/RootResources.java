package dev.costmeter.registry.http;

import java.util.List;
import java.util.Map;

/** The root, the supported schema types and the mode (fixed at start: READWRITE or READONLY). */
final class RootResources {

  private RootResources() {
  }

  static void addTo(Router router, boolean readOnly) {
    router.add("GET", "/", request -> ApiResponse.ok(Map.of()))
        .add("GET", "/schemas/types", request -> ApiResponse.ok(List.of("AVRO")))
        // Imports are not supported and read-only mode is set at start, so the mode never changes.
        .add("GET", "/mode", request -> ApiResponse.ok(new ResponseBodies.Mode(readOnly ? "READONLY" : "READWRITE")));
  }
}
