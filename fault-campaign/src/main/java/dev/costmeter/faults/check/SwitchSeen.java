package dev.costmeter.faults.check;

/** One command read from the control topic (read_committed). */
public record SwitchSeen(String scope, String action, String issuer) {
}
