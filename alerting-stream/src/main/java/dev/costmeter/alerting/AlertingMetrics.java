package dev.costmeter.alerting;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The alerting app's own meters. */
public final class AlertingMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> alerts = new ConcurrentHashMap<>();
    private final Map<String, Counter> commands = new ConcurrentHashMap<>();
    private final Counter invalidPolicies;
    private final DistributionSummary capOvershoot;
    private final Counter duplicates;

    public AlertingMetrics(MeterRegistry registry) {
        this.registry = registry;
        invalidPolicies = Counter.builder("costmeter.alerting.policy.invalid")
                .description("Budget policy records that do not decode and are ignored").register(registry);
        // Nano-USD as a distribution: an estimate for dashboards; the exact figure is in each alert's evidence.
        capOvershoot = DistributionSummary.builder("costmeter.alerting.cap.overshoot.nanos")
                .description("Spend past the limit when a cap's 100% step fired (nano-USD)")
                .baseUnit("nanos").publishPercentiles(0.5, 0.99).register(registry);
        duplicates = Counter.builder("costmeter.alerting.usage.duplicates")
                .description("Usage events seen again (producer retries, re-sends), counted once").register(registry);
    }

    /** A usage event alerting skips because it breaks the contract's rules (metering dead-letters it). */
    public void skipped(String topic, String reason) {
        rejected.computeIfAbsent("skip" + '\u0000' + topic + '\u0000' + reason, k -> Counter.builder("costmeter.alerting.skipped")
                .description("Usage events skipped because they break the contract's rules; metering-stream dead-letters them")
                .tag("topic", topic).tag("reason", reason).register(registry)).increment();
    }

    public void rejected(String topic, String reason) {
        rejected.computeIfAbsent(topic + '\u0000' + reason, k -> Counter.builder("costmeter.alerting.rejected")
                .description("Records sent to the dead-letter topic, by source topic and reason")
                .tag("topic", topic).tag("reason", reason).register(registry)).increment();
    }

    public void alert(String rule, String status) {
        alerts.computeIfAbsent(rule + '\u0000' + status, k -> Counter.builder("costmeter.alerting.alerts")
                .description("Alerts emitted, by rule and status")
                .tag("rule", rule).tag("status", status).register(registry)).increment();
    }

    /** A control record refused as services would refuse it (see ControlKeeper). */
    public void controlRefused(String reason) {
        commands.computeIfAbsent("refused" + '\u0000' + reason, k -> Counter.builder("costmeter.alerting.control.refused")
                .description("Control-topic records that are not in force for services (forged, replayed, tombstone...), by reason")
                .tag("reason", reason).register(registry)).increment();
    }

    /** A record the control keeper wrote: a re-assertion (by action) or a clean-up TOMBSTONE. */
    public void controlWritten(String what) {
        commands.computeIfAbsent("written" + '\u0000' + what, k -> Counter.builder("costmeter.alerting.control.written")
                .description("Records written to keep the control topic saying what its newest verified commands say: "
                        + "re-assertions by action, TOMBSTONE for task clean-up")
                .tag("what", what).register(registry)).increment();
    }

    public void command(String action) {
        commands.computeIfAbsent(action, a -> Counter.builder("costmeter.alerting.commands")
                .description("Kill-switch commands issued, by action").tag("action", a).register(registry)).increment();
    }

    /** A cap's 100% step fired with the scope's spend {@code nanos} past its limit already. */
    public void capOvershoot(long nanos) {
        capOvershoot.record(nanos);
    }

    /** A usage event seen again (a producer retry or a re-send): counted once in the rules. */
    public void duplicate() {
        duplicates.increment();
    }

    public void invalidPolicy() {
        invalidPolicies.increment();
    }
}
