package dev.costmeter.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    private static final Duration QUICK = Duration.ofSeconds(3);

    @Test
    void shouldWaitOneSecondAndDoubleUpToThirtyWhileTheComponentKeepsExitingQuickly() {
        RestartBackoff backoff = RestartBackoff.standard();
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(backoff.delayAfterExit(QUICK).toSeconds());
        }
        assertThat(delays).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    }

    @Test
    void shouldStartOverAtOneSecondOnceTheComponentStayedUpAMinute() {
        RestartBackoff backoff = RestartBackoff.standard();
        backoff.delayAfterExit(QUICK);
        backoff.delayAfterExit(QUICK);
        assertThat(backoff.delayAfterExit(QUICK)).isEqualTo(Duration.ofSeconds(4));

        assertThat(backoff.delayAfterExit(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delayAfterExit(QUICK)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void shouldCallItACrashLoopAfterFiveQuickExitsInARowOnly() {
        RestartBackoff backoff = RestartBackoff.standard();
        for (int i = 0; i < 4; i++) {
            backoff.delayAfterExit(QUICK);
            assertThat(backoff.crashLooping()).as("after %d exits", i + 1).isFalse();
        }
        backoff.delayAfterExit(QUICK);
        assertThat(backoff.crashLooping()).isTrue();
        assertThat(backoff.exitsInARow()).isEqualTo(5);

        backoff.delayAfterExit(Duration.ofMinutes(5));
        assertThat(backoff.crashLooping()).isFalse();
    }

    @Test
    void shouldNeverOverflowHoweverLongTheCrashLoop() {
        RestartBackoff backoff = RestartBackoff.standard();
        for (int i = 0; i < 200; i++) {
            backoff.delayAfterExit(Duration.ZERO);
        }
        assertThat(backoff.delayAfterExit(Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
    }
}
