package dev.costmeter.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.registry.subjects.RegistryException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

  private final Route route = request -> ApiResponse.ok(Map.of());
  private final Router router = new Router()
      .add("GET", "/", route)
      .add("GET", "/subjects/{subject}/versions/{version}", route);

  @Test
  void shouldCapturePercentDecodedPathParameters() {
    Router.Match match = router.match("GET", "/subjects/a%2Fb+c%20d/versions/latest");

    assertThat(match.pathParams()).containsEntry("subject", "a/b+c d")
        .containsEntry("version", "latest");
  }

  @Test
  void shouldMatchTheRootAndIgnoreATrailingSlash() {
    assertThat(router.match("GET", "/").route()).isSameAs(route);
    assertThat(router.match("GET", "/subjects/s/versions/1/").pathParams())
        .containsEntry("version", "1");
  }

  @Test
  void shouldRefuseAnEmptyParameterSegment() {
    assertThatThrownBy(() -> router.match("GET", "/subjects//versions/1"))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(404));
  }

  @Test
  void shouldAnswer405ForAKnownPathWithAnotherMethod() {
    assertThatThrownBy(() -> router.match("POST", "/subjects/s/versions/1"))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.httpStatus()).isEqualTo(405));
  }
}
