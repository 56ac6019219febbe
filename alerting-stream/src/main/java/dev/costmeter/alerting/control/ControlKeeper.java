package dev.costmeter.alerting.control;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.runtime.deadletter.RetryLaterException;
import dev.costmeter.schemas.control.CommandJudge;
import dev.costmeter.schemas.control.HighWater;
import dev.costmeter.schemas.control.Judgement;
import dev.costmeter.schemas.control.Refusal;
import dev.costmeter.schemas.control.SwitchScope;
import dev.costmeter.schemas.registry.SchemaRegistryUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps llm.control.v1 saying, for every scope, what the newest command that verifies says, so
 * that a service reading the topic from scratch, after compaction, obeys what a service that read
 * every record obeys. It reads the topic it writes (keyed by scope, so no repartition), judges every
 * record with {@link CommandJudge} as services do, and keeps each scope's newest verified command
 * in {@link #STORE}.
 *
 * <ul>
 *   <li><b>Re-assertion.</b> When a record would leave a fresh reader believing something else (a
 *       tombstone, a forged, undecodable or HMAC-era record, or an older command replayed while
 *       the kept one is in force; an older BLOCK or DEGRADE replayed after a lift), it writes the
 *       kept command again, unchanged but for sequence + 1 and a signature by its own key. Its
 *       issued_at stays, so it is never "issued before" a newer decision, and + 1 stays below any
 *       newer decision's clock-based sequence. One re-assertion is in flight per scope at a time.</li>
 *   <li><b>At start</b> it re-asserts every command in force that is signed by another key than
 *       its own (a retired key, or an operator's): once its public key is removed from
 *       {@code control.verify.keys}, no switch in force depends on it.</li>
 *   <li><b>Clean-up.</b> Once a task's switch has been lifted by a signed ALLOW, or its command
 *       expired, for {@code control.tombstone.delay}, it writes the task's tombstone so compaction
 *       can drop it (services only forget a switch that is no longer in force on a tombstone), and
 *       forgets the task {@code control.replay.horizon} later. Other scopes are few and kept.</li>
 * </ul>
 */
public final class ControlKeeper implements Processor<byte[], byte[], String, ControlCommand> {

    public static final String STORE = "control-keeper-store";
    /** A re-assertion not read back within this long is sent again. */
    static final Duration PENDING_TIMEOUT = Duration.ofSeconds(30);
    /** How soon after start the commands of other keys are re-asserted. */
    static final Duration START_DELAY = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(ControlKeeper.class);

    /**
     * @param tombstoneDelay how long after a task's switch stopped applying its tombstone is written
     *                       (time for every service to read the ALLOW first)
     * @param replayHorizon  how long after its tombstone a task is remembered (a replay of one of its
     *                       commands is re-asserted away until then)
     * @param sweepInterval  how often (wall clock) the store is swept for tombstones and forgetting
     */
    public record Settings(Duration tombstoneDelay, Duration replayHorizon, Duration sweepInterval) {

        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(10), Duration.ofDays(7), Duration.ofMinutes(1));
        }

        public Settings {
            Objects.requireNonNull(tombstoneDelay, "tombstoneDelay");
            Objects.requireNonNull(replayHorizon, "replayHorizon");
            if (sweepInterval.isNegative() || sweepInterval.isZero()) {
                throw new IllegalArgumentException("control.sweep.interval must be positive");
            }
        }
    }

    /** Told of every record it refuses and of what it writes, to move counters. */
    public interface Listener {
        void refused(String topic, Refusal refusal);

        void wrote(String what);
    }

    private final CommandJudge judge;
    private final CommandIssuer issuer;
    private final Settings settings;
    private final Deserializer<ControlCommand> deserializer;
    private final Listener listener;
    private ProcessorContext<String, ControlCommand> context;
    private KeyValueStore<String, KeptSwitch> kept;

    public ControlKeeper(ControlKeys keys, Settings settings, Deserializer<ControlCommand> deserializer, Listener listener) {
        this.judge = new CommandJudge(keys.verifyKeys());
        this.issuer = new CommandIssuer(keys);
        this.settings = settings;
        this.deserializer = deserializer;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, ControlCommand> context) {
        this.context = context;
        this.kept = context.getStateStore(STORE);
        Cancellable[] once = new Cancellable[1];
        once[0] = context.schedule(START_DELAY, PunctuationType.WALL_CLOCK_TIME, now -> {
            once[0].cancel();
            resendUnconfirmed(now, true);
            reassertOtherKeys(now);
        });
        context.schedule(settings.sweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::sweep);
        context.schedule(PENDING_TIMEOUT, PunctuationType.WALL_CLOCK_TIME, now -> resendUnconfirmed(now, false));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        long now = context.currentSystemTimeMs();
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        KeptSwitch scope = key == null ? null : kept.get(key);
        HighWater prior = scope == null ? null : scope.highWater();
        ControlCommand command = null;
        Judgement judgement;
        if (record.value() == null) {
            judgement = judge.judge(key, null, prior, now);
        } else {
            try {
                command = deserializer.deserialize(topic(), record.headers(), record.value());
            } catch (RuntimeException e) {
                if (SchemaRegistryUnavailableException.isCause(e)) {
                    throw new RetryLaterException("The schema registry cannot answer, so a control record cannot be decoded now", e);
                }
            }
            if (command != null && scope != null && scope.isSame(command)) {
                return; // our own re-assertion or write read back, or a copy of the newest: nothing to do
            }
            judgement = command == null ? CommandJudge.undecodable("not a ControlCommand", prior)
                    : judge.judge(key, command, prior, now);
        }
        switch (judgement.kind()) {
            case APPLIED, EXPIRED -> kept.put(key, KeptSwitch.accepted(judgement.next().command(), now));
            case UNCHANGED -> {
                // the newest command read again: the topic already says it
            }
            case CLEANED -> {
                if (scope != null && scope.tombstonedAtMs() == 0) {
                    kept.put(key, scope.tombstoned(now));
                }
            }
            case REFUSED -> {
                listener.refused(topic(), judgement.refusal());
                log.warn("Control record for {} at {} refused ({}): {}", CommandJudge.printable(key), position(), judgement.refusal(),
                        judgement.detail());
                if (scope != null && misleads(scope, judgement.refusal(), command, now)) {
                    reassert(key, scope, now, judgement.refusal().name());
                }
            }
        }
    }

    /**
     * Whether a reader that saw only this refused record for the scope would obey something else
     * than the kept command: always while the kept command is in force (it would see nothing valid,
     * or an older command); after a lift, only when the record is an older command that would
     * still be in force.
     */
    private static boolean misleads(KeptSwitch scope, Refusal refusal, ControlCommand command, long now) {
        if (scope.inForce(now)) {
            return true;
        }
        return refusal == Refusal.REPLAYED && command != null && HighWater.inForce(command, now);
    }

    private void reassert(String key, KeptSwitch scope, long now, String why) {
        if (scope.pendingSequence() > scope.sequence() && now - scope.pendingAtMs() < PENDING_TIMEOUT.toMillis()) {
            return;
        }
        send(key, scope, now, why);
    }

    /**
     * Sends again each re-assertion not read back: at start all of them ({@code all}), since one in
     * flight when the app stopped may have been compacted away behind a newer misleading record
     * before this app read it back; later those pending for {@link #PENDING_TIMEOUT}. Without this a
     * misleading record read while a re-assertion is pending would stand until the next one arrives.
     */
    private void resendUnconfirmed(long now, boolean all) {
        List<KeyValue<String, KeptSwitch>> due = new ArrayList<>();
        try (KeyValueIterator<String, KeptSwitch> entries = kept.all()) {
            while (entries.hasNext()) {
                KeyValue<String, KeptSwitch> entry = entries.next();
                KeptSwitch s = entry.value;
                if (s.pendingSequence() > s.sequence() && (all || now - s.pendingAtMs() >= PENDING_TIMEOUT.toMillis())) {
                    due.add(entry);
                }
            }
        }
        due.forEach(entry -> send(entry.key, entry.value, now, "not read back since " + Instant.ofEpochMilli(entry.value.pendingAtMs())));
    }

    private void send(String key, KeptSwitch scope, long now, String why) {
        long sequence = scope.sequence() + 1;
        ControlCommand again = issuer.reassert(scope.command(), sequence);
        context.forward(new Record<>(key, again, now));
        kept.put(key, scope.pending(sequence, now));
        listener.wrote(scope.action());
        log.info("Re-asserted {} {} with sequence {} ({})", key, scope.action(), sequence, why);
    }

    private void reassertOtherKeys(long now) {
        List<KeyValue<String, KeptSwitch>> due = new ArrayList<>();
        try (KeyValueIterator<String, KeptSwitch> all = kept.all()) {
            while (all.hasNext()) {
                KeyValue<String, KeptSwitch> entry = all.next();
                if (entry.value.inForce(now) && !issuer.keyId().equals(entry.value.keyId())) {
                    due.add(entry);
                }
            }
        }
        due.forEach(entry -> reassert(entry.key, entry.value, now, "signed by key '" + entry.value.keyId() + "'"));
    }

    private void sweep(long now) {
        List<KeyValue<String, KeptSwitch>> tombstone = new ArrayList<>();
        List<String> forget = new ArrayList<>();
        try (KeyValueIterator<String, KeptSwitch> all = kept.all()) {
            while (all.hasNext()) {
                KeyValue<String, KeptSwitch> entry = all.next();
                KeptSwitch s = entry.value;
                if (!isTask(entry.key) || s.inForce(now)) {
                    continue;
                }
                if (s.tombstonedAtMs() == 0 && s.liftedAtMs() <= now - settings.tombstoneDelay().toMillis()) {
                    tombstone.add(entry);
                } else if (s.tombstonedAtMs() > 0 && s.tombstonedAtMs() <= now - settings.replayHorizon().toMillis()) {
                    forget.add(entry.key);
                }
            }
        }
        for (KeyValue<String, KeptSwitch> entry : tombstone) {
            context.forward(new Record<String, ControlCommand>(entry.key, null, now));
            kept.put(entry.key, entry.value.tombstoned(now));
            listener.wrote("TOMBSTONE");
        }
        forget.forEach(kept::delete);
        if (!tombstone.isEmpty() || !forget.isEmpty()) {
            log.info("Control topic clean-up: {} task switch(es) tombstoned, {} forgotten", tombstone.size(), forget.size());
        }
    }

    private static boolean isTask(String scope) {
        return SwitchScope.parse(scope).map(s -> s.kind() == SwitchScope.Kind.TASK).orElse(false);
    }

    private String topic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse("");
    }

    private String position() {
        return context.recordMetadata().map(m -> "partition " + m.partition() + " offset " + m.offset()).orElse("?");
    }
}
