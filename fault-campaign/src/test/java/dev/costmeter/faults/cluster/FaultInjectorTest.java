package dev.costmeter.faults.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.faults.schedule.Fault;
import dev.costmeter.faults.schedule.FaultKind;
import dev.costmeter.faults.schedule.FaultSchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What the injector does to each component, on a cluster that records the calls. */
class FaultInjectorTest {

    private final List<String> calls = new ArrayList<>();
    private final RecordingCluster cluster = new RecordingCluster();

    @Test
    void shouldHoldAKilledBrokerDownForItsHoldThenReleaseIt() throws Exception {
        List<FaultRecord> records = run(new Fault(1, FaultKind.BROKER_KILL, 0, "kafka-2", 20, 0),
                new Fault(2, FaultKind.CONTROLLER_KILL, 0, "controller", 20, 0));
        assertThat(calls).containsExactly("kafka-2 holdDown", "kafka-2 kill", "kafka-2 release",
                "kafka-3 holdDown", "kafka-3 kill", "kafka-3 release");
        assertThat(records).extracting(FaultRecord::target).containsExactly("kafka-2", "kafka-3");
        assertThat(records).allMatch(r -> r.error() == null && r.endedAt() >= r.injectedAt() + 20);
    }

    @Test
    void shouldPauseAZombieAndResumeIt() throws Exception {
        run(new Fault(1, FaultKind.METERING_ZOMBIE, 0, "metering#3", 10, 0));
        assertThat(calls).containsExactly("metering-stream-2 pause", "metering-stream-2 resume");
    }

    @Test
    void shouldRemoveTheInstanceItAdded() throws Exception {
        run(new Fault(1, FaultKind.SCALE_OUT, 0, "", 0, 0), new Fault(2, FaultKind.SCALE_IN, 0, "", 0, 0));
        assertThat(calls).containsExactly("add metering-stream-3", "remove metering-stream-3");
    }

    @Test
    void shouldRestartAnAppWhileTheRegistryIsDown() throws Exception {
        run(new Fault(1, FaultKind.REGISTRY_OUTAGE, 0, "alerting#0", 30, 0));
        assertThat(calls).containsExactly("schema-registry holdDown", "schema-registry kill", "alerting-stream-1 restart",
                "schema-registry release");
    }

    @Test
    void shouldAskTheWorkloadForABurstOfReSends() throws Exception {
        List<FaultRecord> records = run(new Fault(1, FaultKind.RESEND_BURST, 0, "", 0, 1_234));
        assertThat(calls).containsExactly("burst 1234");
        assertThat(records.get(0).target()).isEqualTo("1234 re-sends");
    }

    @Test
    void shouldRecordAFaultItCouldNotInjectAndGoOn() throws Exception {
        cluster.failRolling = true;
        List<FaultRecord> records = run(new Fault(1, FaultKind.ROLLING_BROKER_RESTART, 0, "", 0, 0),
                new Fault(2, FaultKind.CONNECT_KILL, 0, "kafka-connect", 0, 0));
        assertThat(records.get(0).error()).contains("under-replicated");
        assertThat(records.get(1).error()).isNull();
        assertThat(calls).containsExactly("kafka-connect kill");
    }

    @Test
    void shouldKeepTheRecoveryTimeAfterAFaultThatRanLateInsteadOfStackingTheNextOnIt() throws Exception {
        FaultInjector injector = new FaultInjector(cluster, Optional::empty, (count, seed) -> CompletableFuture.completedFuture(count));
        // Both planned at once, as when the fault before them overran: the second waits the recovery time.
        List<FaultRecord> records = injector.run(new FaultSchedule(1, List.of(new Fault(1, FaultKind.CONNECT_KILL, 0, "", 0, 0),
                new Fault(2, FaultKind.METERING_KILL, 0, "metering#0", 0, 0)), 0, 400), System.nanoTime());
        assertThat(records.get(1).injectedAt() - records.get(0).endedAt()).isGreaterThanOrEqualTo(400);
        assertThat(calls).containsExactly("kafka-connect kill", "metering-stream-1 kill");
    }

    private List<FaultRecord> run(Fault... faults) throws Exception {
        FaultInjector injector = new FaultInjector(cluster, Optional::empty, (count, seed) -> {
            calls.add("burst " + count);
            return CompletableFuture.completedFuture(count);
        });
        return injector.run(new FaultSchedule(1, List.of(faults), 0), System.nanoTime());
    }

    private final class RecordingCluster implements Cluster {
        boolean failRolling;
        private final List<String> metering = new ArrayList<>(List.of("metering-stream-1", "metering-stream-2"));

        @Override
        public String bootstrapServers() {
            return "127.0.0.1:1";
        }

        @Override
        public String registryUrl() {
            return "http://127.0.0.1:1";
        }

        @Override
        public List<String> meteringUrls() {
            return List.of();
        }

        @Override
        public Postgres postgres() {
            return null;
        }

        @Override
        public String meteringGroup() {
            return "g";
        }

        @Override
        public List<String> brokers() {
            return List.of("kafka-1", "kafka-2", "kafka-3");
        }

        @Override
        public String activeController() {
            return "kafka-3";
        }

        @Override
        public List<String> meteringInstances() {
            return List.copyOf(metering);
        }

        @Override
        public List<String> alertingInstances() {
            return List.of("alerting-stream-1", "alerting-stream-2");
        }

        @Override
        public String registry() {
            return "schema-registry";
        }

        @Override
        public String connect() {
            return "kafka-connect";
        }

        @Override
        public String postgresComponent() {
            return "postgresql";
        }

        @Override
        public ProcessControl component(String name) {
            return new ProcessControl() {
                @Override
                public void kill() {
                    calls.add(name + " kill");
                }

                @Override
                public void holdDown() {
                    calls.add(name + " holdDown");
                }

                @Override
                public void release() {
                    calls.add(name + " release");
                }

                @Override
                public void pause() {
                    calls.add(name + " pause");
                }

                @Override
                public void resume() {
                    calls.add(name + " resume");
                }

                @Override
                public void restart() {
                    calls.add(name + " restart");
                }

                @Override
                public boolean isAlive() {
                    return true;
                }
            };
        }

        @Override
        public String addMeteringInstance() {
            String name = "metering-stream-" + (metering.size() + 1);
            metering.add(name);
            calls.add("add " + name);
            return name;
        }

        @Override
        public void removeMeteringInstance(String name) {
            metering.remove(name);
            calls.add("remove " + name);
        }

        @Override
        public void rollingBrokerRestart() {
            if (failRolling) {
                throw new IllegalStateException("partitions under-replicated");
            }
            calls.add("rolling restart");
        }

        @Override
        public void awaitHealthy(Duration timeout) {
        }

        @Override
        public void close() {
        }
    }
}
