package dev.costmeter.connect.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {

    private final ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofSeconds(3), Duration.ofSeconds(60));

    @Test
    void shouldDoubleEachWaitUpToTheMaximum() {
        assertThat(backoff.after(0)).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(6));
        assertThat(backoff.after(4)).isEqualTo(Duration.ofSeconds(48));
        assertThat(backoff.after(5)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.after(1_000)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void shouldRideOutAboutSixAndAHalfMinutesWithTheLedgerSinkDefaults() {
        // 3 + 6 + 12 + 24 + 48 + 5 x 60 seconds: the figure the ledger sink's max.retries doc states.
        assertThat(backoff.total(10)).isEqualTo(Duration.ofSeconds(393));
    }

    @Test
    void shouldNeverWaitWhenTheInitialWaitIsZero() {
        assertThat(new ExponentialBackoff(Duration.ZERO, Duration.ofSeconds(1)).after(10)).isZero();
    }

    @Test
    void shouldRefuseAMaximumBelowTheInitialWait() {
        assertThatThrownBy(() -> new ExponentialBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
