package dev.costmeter.client.killswitch;

/** How {@link KillSwitchClient#check} answers before it has read the control topic to its end. */
public enum StartupPolicy {
    /** ALLOW every call until caught up: metering never takes a service down. */
    FAIL_OPEN,
    /** BLOCK every call with reason {@code kill-switch state unknown} until caught up. */
    FAIL_CLOSED
}
