package dev.costmeter.faults.schedule;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A seeded, reproducible list of faults: a pure function of the seed, the count and the options,
 * printed before the run. Every kind is injected at least once when the count allows (each broker
 * killed, the controller too), the rest drawn from the kinds a fleet meets most; a scale-in always
 * follows a scale-out. Faults follow one another with room to recover: each starts after the previous
 * one ended plus the recovery time (and a random extra of up to half of it).
 *
 * @param lengthMs   from the start of the workload to the end of the tail after the last fault
 * @param recoveryMs least time between the end of one fault and the start of the next, kept when
 *                   a fault takes longer than planned (a rolling restart waiting for replicas): the
 *                   injector then runs late rather than stacking faults, which would time two
 *                   faults' recovery as one
 */
public record FaultSchedule(long seed, List<Fault> faults, long lengthMs, long recoveryMs) {

    /** A schedule whose faults may follow each other without a gap (tests). */
    public FaultSchedule(long seed, List<Fault> faults, long lengthMs) {
        this(seed, faults, lengthMs, 0);
    }

    private static final List<FaultKind> EXTRA = List.of(FaultKind.METERING_KILL, FaultKind.METERING_KILL,
            FaultKind.BROKER_KILL, FaultKind.METERING_ZOMBIE, FaultKind.RESEND_BURST, FaultKind.ALERTING_KILL,
            FaultKind.CONNECT_KILL, FaultKind.REGISTRY_OUTAGE, FaultKind.POSTGRES_RESTART, FaultKind.CONTROLLER_KILL);

    public static FaultSchedule generate(long seed, int count, ScheduleOptions options) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<Draft> drafts = new ArrayList<>();
        for (int broker = 1; broker <= options.brokers(); broker++) {
            drafts.add(new Draft(FaultKind.BROKER_KILL, "kafka-" + broker));
        }
        for (FaultKind kind : FaultKind.values()) {
            if (kind != FaultKind.BROKER_KILL) {
                drafts.add(new Draft(kind, null));
            }
        }
        while (drafts.size() < count) {
            drafts.add(new Draft(EXTRA.get(random.nextInt(EXTRA.size())), null));
        }
        Collections.shuffle(drafts, new Random(random.nextLong()));
        List<Draft> chosen = new ArrayList<>(drafts.subList(0, Math.min(count, drafts.size())));
        pairScaling(chosen);
        return timed(seed, chosen, options, random);
    }

    /**
     * A schedule of exactly {@code kinds}, in that order, timed as {@link #generate} times its faults
     * (targets and holds drawn from the seed): for a short campaign that must meet given faults.
     */
    public static FaultSchedule of(long seed, List<FaultKind> kinds, ScheduleOptions options) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<Draft> drafts = new ArrayList<>();
        kinds.forEach(kind -> drafts.add(new Draft(kind, null)));
        pairScaling(drafts);
        return timed(seed, drafts, options, random);
    }

    private static FaultSchedule timed(long seed, List<Draft> chosen, ScheduleOptions options, SplittableRandom random) {
        List<Fault> faults = new ArrayList<>();
        long at = options.warmUp().toMillis();
        for (Draft draft : chosen) {
            long hold = hold(draft.kind(), options, random);
            faults.add(new Fault(faults.size() + 1, draft.kind(), at, target(draft, options, random), hold, amount(draft.kind(), random)));
            long recovery = options.recovery().toMillis();
            at += busy(draft.kind(), hold, options) + recovery + random.nextLong(recovery / 2 + 1);
        }
        return new FaultSchedule(seed, List.copyOf(faults), at + options.tail().toMillis(), options.recovery().toMillis());
    }

    private record Draft(FaultKind kind, String target) {
    }

    /** A scale-in needs an added instance: it moves after a scale-out, or becomes a metering kill. */
    private static void pairScaling(List<Draft> drafts) {
        int added = 0;
        for (int i = 0; i < drafts.size(); i++) {
            FaultKind kind = drafts.get(i).kind();
            if (kind == FaultKind.SCALE_OUT) {
                added++;
            } else if (kind == FaultKind.SCALE_IN) {
                if (added == 0) {
                    int out = indexOf(drafts, FaultKind.SCALE_OUT, i + 1);
                    if (out < 0) {
                        drafts.set(i, new Draft(FaultKind.METERING_KILL, null));
                        continue;
                    }
                    Collections.swap(drafts, i, out);
                    added++;
                    continue;
                }
                added--;
            }
        }
    }

    private static int indexOf(List<Draft> drafts, FaultKind kind, int from) {
        for (int i = from; i < drafts.size(); i++) {
            if (drafts.get(i).kind() == kind) {
                return i;
            }
        }
        return -1;
    }

    private static long hold(FaultKind kind, ScheduleOptions options, SplittableRandom random) {
        return switch (kind) {
            case BROKER_KILL, CONTROLLER_KILL -> 10_000 + random.nextLong(20_001);
            case METERING_ZOMBIE -> options.zombiePause().toMillis();
            case REGISTRY_OUTAGE -> 20_000 + random.nextLong(20_001);
            case POSTGRES_RESTART -> 5_000 + random.nextLong(10_001);
            default -> 0;
        };
    }

    /** How long the fault keeps the cluster busy before recovery can be timed: its hold, or its action. */
    private static long busy(FaultKind kind, long hold, ScheduleOptions options) {
        return switch (kind) {
            // each broker waits for its replicas to catch up before the next goes: about a minute a broker under load
            case ROLLING_BROKER_RESTART -> options.brokers() * 60_000L;
            case SCALE_OUT, SCALE_IN -> 20_000;
            default -> hold;
        };
    }

    private static String target(Draft draft, ScheduleOptions options, SplittableRandom random) {
        if (draft.target() != null) {
            return draft.target();
        }
        return switch (draft.kind()) {
            case CONTROLLER_KILL -> "controller";
            case METERING_KILL, METERING_ZOMBIE -> "metering#" + random.nextInt(2);
            case ALERTING_KILL -> "alerting#" + random.nextInt(2);
            case REGISTRY_OUTAGE -> random.nextBoolean() ? "metering#" + random.nextInt(2) : "alerting#" + random.nextInt(2);
            case CONNECT_KILL -> "kafka-connect";
            case POSTGRES_RESTART -> "postgresql";
            case BROKER_KILL -> "kafka-" + (1 + random.nextInt(options.brokers()));
            default -> "";
        };
    }

    private static int amount(FaultKind kind, SplittableRandom random) {
        return kind == FaultKind.RESEND_BURST ? 1_000 + random.nextInt(4_001) : 0;
    }

    /** The schedule as a Markdown table. */
    public String render() {
        StringBuilder table = new StringBuilder("| # | at | fault | target | hold |\n|---|---|---|---|---|\n");
        for (Fault fault : faults) {
            table.append("| ").append(fault.number()).append(" | ").append(seconds(fault.atMs())).append(" | ")
                    .append(fault.kind().label()).append(" | ")
                    .append(fault.kind() == FaultKind.RESEND_BURST ? fault.amount() + " re-sends" : fault.target())
                    .append(" | ").append(fault.holdMs() == 0 ? "" : seconds(fault.holdMs())).append(" |\n");
        }
        return table.toString();
    }

    static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
