package dev.costmeter.faults.schedule;

import java.util.Locale;

/** The faults a campaign injects, each a failure a fleet meets. */
public enum FaultKind {
    BROKER_KILL("kill -9 of a broker, held down, then restarted"),
    CONTROLLER_KILL("kill -9 of the active controller, held down, then restarted"),
    ROLLING_BROKER_RESTART("rolling restart of every broker, one at a time"),
    METERING_KILL("kill -9 of a metering instance under load (mid-transaction); the supervisor restarts it"),
    METERING_ZOMBIE("SIGSTOP of a metering instance past its session timeout, then SIGCONT: a zombie to fence"),
    SCALE_OUT("a metering instance added"),
    SCALE_IN("the added metering instance removed"),
    ALERTING_KILL("kill -9 of an alerting instance; the supervisor restarts it"),
    CONNECT_KILL("kill -9 of the Connect worker mid-batch; the supervisor restarts it"),
    REGISTRY_OUTAGE("schema registry down; a stream app restarted while it is down; registry back"),
    POSTGRES_RESTART("kill -9 of PostgreSQL, held down, then restarted"),
    RESEND_BURST("a burst of producer re-sends of acknowledged calls");

    private final String description;

    FaultKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Lower-case, hyphenated: how reports and options name it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
