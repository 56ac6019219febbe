package dev.costmeter.faults.check;

/** One record read from the alerts topic (read_committed). */
public record AlertSeen(String dedupKey, String rule, String scope, String status) {

    public boolean firing() {
        return "FIRING".equals(status);
    }
}
