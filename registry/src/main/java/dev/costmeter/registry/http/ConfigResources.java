package dev.costmeter.registry.http;

import dev.costmeter.registry.compat.CompatibilityLevel;
import dev.costmeter.registry.subjects.CompatibilitySettings;

/** {@code /config...}: global and per-subject compatibility levels. */
final class ConfigResources {

  private final CompatibilitySettings settings;

  private ConfigResources(CompatibilitySettings settings) {
    this.settings = settings;
  }

  static void addTo(Router router, CompatibilitySettings settings) {
    ConfigResources resources = new ConfigResources(settings);
    router.add("GET", "/config", resources::globalLevel)
        .add("PUT", "/config", resources::setGlobalLevel)
        .add("GET", "/config/{subject}", resources::subjectLevel)
        .add("PUT", "/config/{subject}", resources::setSubjectLevel)
        .add("DELETE", "/config/{subject}", resources::deleteSubjectLevel);
  }

  private ApiResponse globalLevel(ApiRequest request) {
    return level(settings.globalLevel());
  }

  private ApiResponse setGlobalLevel(ApiRequest request) {
    return updated(settings.setGlobalLevel(request.textField("compatibility")));
  }

  private ApiResponse subjectLevel(ApiRequest request) {
    return level(settings.subjectLevel(request.path("subject"), request.flag("defaultToGlobal")));
  }

  private ApiResponse setSubjectLevel(ApiRequest request) {
    return updated(settings.setSubjectLevel(
        request.path("subject"), request.textField("compatibility")));
  }

  private ApiResponse deleteSubjectLevel(ApiRequest request) {
    return level(settings.deleteSubjectLevel(request.path("subject")));
  }

  private static ApiResponse level(CompatibilityLevel level) {
    return ApiResponse.ok(new ResponseBodies.CompatibilityLevel(level.name()));
  }

  private static ApiResponse updated(CompatibilityLevel level) {
    return ApiResponse.ok(new ResponseBodies.CompatibilityUpdate(level.name()));
  }
}
