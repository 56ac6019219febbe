package dev.costmeter.registry.http;

/** Answers one method and path pattern. */
@FunctionalInterface
interface Route {
  ApiResponse handle(ApiRequest request);
}
