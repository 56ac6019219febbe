package dev.costmeter.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(10, 3, now::get);

    @Test
    void shouldLetABurstThroughThenRefuseUntilTokensRefill() {
        assertThat(limiter.tryAcquire("acme")).isTrue();
        assertThat(limiter.tryAcquire("acme")).isTrue();
        assertThat(limiter.tryAcquire("acme")).isTrue();
        assertThat(limiter.tryAcquire("acme")).as("past the burst of 3").isFalse();

        now.addAndGet(100_000_000L);   // 0.1 s at 10 per second: one more
        assertThat(limiter.tryAcquire("acme")).isTrue();
        assertThat(limiter.tryAcquire("acme")).isFalse();
    }

    @Test
    void shouldCountEachCallerApart() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("acme");
        }
        assertThat(limiter.tryAcquire("acme")).isFalse();
        assertThat(limiter.tryAcquire("globex")).isTrue();
    }
}
