package dev.costmeter.alerting.control;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.ControlCommand;

/**
 * One output of a rule processor: an alert (keyed by its dedup key) or a kill-switch command (keyed
 * by its scope). Exactly one of the two is set.
 */
public record Emission(String key, Alert alert, ControlCommand command) {

    public static Emission of(Alert alert) {
        return new Emission(alert.getDedupKey(), alert, null);
    }

    public static Emission of(ControlCommand command) {
        return new Emission(command.getScope(), null, command);
    }

    public boolean isAlert() {
        return alert != null;
    }
}
