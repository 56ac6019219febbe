package dev.costmeter.client.killswitch;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Health of a {@link KillSwitchClient}, cheap to read from any thread. */
public interface ControlMetrics {

    /** Whether the client has read the control topic up to the end it saw at start. */
    boolean caughtUp();

    /** Records on the control topic not yet read, at the last poll; -1 before the first. */
    long lag();

    /** Time since the client last applied a command; empty if it never has. */
    Optional<Duration> lastUpdateAge();

    /** Commands applied (switches set or lifted). */
    long applied();

    /** Tombstones that cleaned up a lifted or expired scope (a tombstone never lifts a switch in force). */
    long cleaned();

    /** Records not applied, by reason. */
    Map<Rejection, Long> rejected();

    /** Records not applied for {@code reason}. */
    long rejected(Rejection reason);

    /** Scopes with a DEGRADE or BLOCK switch held in memory (expired ones included until replaced). */
    int activeSwitches();
}
