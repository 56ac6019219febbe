package dev.costmeter.connect.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @Test
    void shouldAllowTheBurstAtOnceThenMakeTheNextWaitOneInterval() {
        TokenBucket bucket = new TokenBucket(60, 3, clock::get);
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldRefillAtTheConfiguredRate() {
        TokenBucket bucket = new TokenBucket(120, 1, clock::get);
        assertThat(bucket.reserve()).isZero();
        clock.addAndGet(Duration.ofMillis(250).toNanos());
        assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(250));
        clock.addAndGet(Duration.ofMillis(250).toNanos());
        assertThat(bucket.reserve()).isZero();
    }

    @Test
    void shouldNeverHoldMoreThanTheBurstAfterAQuietSpell() {
        TokenBucket bucket = new TokenBucket(60, 2, clock::get);
        clock.addAndGet(Duration.ofHours(1).toNanos());
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isPositive();
    }
}
