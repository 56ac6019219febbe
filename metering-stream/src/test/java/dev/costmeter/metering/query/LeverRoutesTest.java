package dev.costmeter.metering.query;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.runtime.auth.AccessDeniedException;
import dev.costmeter.runtime.auth.Caller;
import dev.costmeter.runtime.http.Request;
import java.net.URI;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What /v1/levers and /v1/envelope refuse before reading any store; "today" is 2026-11-27 (UTC). */
class LeverRoutesTest {

    private final MeteringRoutes routes = new MeteringRoutes(null, null, () -> Instant.parse("2026-11-27T12:00:00Z"));

    @Test
    void shouldRefuseAThroughDayAfterTodayOrOutsideTheMonth() {
        assertThatThrownBy(() -> routes.envelope(get("/v1/envelope?dimension=tenant&scope=acme&through=2026-11-28")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("'through' (2026-11-28) is after today (2026-11-27, UTC)");
        assertThatThrownBy(() -> routes.envelope(get("/v1/envelope?dimension=tenant&scope=acme&month=2026-10&through=2026-11-01")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("'through' (2026-11-01) must be a day of 'month' (2026-10)");
        // A month to come defaults to its last day, which is after today.
        assertThatThrownBy(() -> routes.envelope(get("/v1/envelope?dimension=tenant&scope=acme&month=2026-12")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is after today");
    }

    @Test
    void shouldRefuseAMalformedMonthOrDimension() {
        assertThatThrownBy(() -> routes.envelope(get("/v1/envelope?dimension=tenant&scope=acme&month=Nov")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("'month' must be YYYY-MM, not 'Nov'");
        assertThatThrownBy(() -> routes.levers(get("/v1/levers?dimension=all&scope=all")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unknown dimension 'all'");
        assertThatThrownBy(() -> routes.levers(get("/v1/levers?dimension=tenant")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Missing query parameter 'scope'");
    }

    @Test
    void shouldRefuseATenantTokenAnotherTenantsOrAMixedScope() {
        Caller acme = Caller.of(false, false, Set.of("acme"));
        assertThatThrownBy(() -> routes.levers(get("/v1/levers?dimension=tenant&scope=globex", acme)))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> routes.envelope(get("/v1/envelope?dimension=route&scope=chat", acme)))
                .isInstanceOf(AccessDeniedException.class);
    }

    private static Request get(String pathAndQuery) {
        return get(pathAndQuery, Caller.unrestricted());
    }

    private static Request get(String pathAndQuery, Caller caller) {
        String prefix = pathAndQuery.substring(0, pathAndQuery.indexOf('?'));
        return Request.of("GET", prefix, URI.create(pathAndQuery), caller, null);
    }
}
