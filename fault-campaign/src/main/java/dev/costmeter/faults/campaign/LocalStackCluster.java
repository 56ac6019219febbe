package dev.costmeter.faults.campaign;

import dev.costmeter.local.Component;
import dev.costmeter.local.LocalStack;
import dev.costmeter.local.StackConfig;
import dev.costmeter.faults.cluster.Cluster;
import dev.costmeter.faults.cluster.ProcessControl;
import dev.costmeter.metering.MeteringApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code deploy}'s local stack, started as a cluster with failure domains, seen through the campaign's {@link Cluster}. */
public final class LocalStackCluster implements Cluster {

    private static final String LEDGER_SCHEMA = "costmeter";

    private final LocalStack stack;

    private LocalStackCluster(LocalStack stack) {
        this.stack = stack;
    }

    public static Cluster start(Path dataDir, int brokers, int metering, int alerting) throws Exception {
        StackConfig config = StackConfig.defaults(dataDir).withFreePorts()
                .withBrokers(brokers).withMeteringInstances(metering).withAlertingInstances(alerting);
        LocalStack stack = LocalStack.start(config);
        try {
            stack.awaitHealthy(Duration.ofMinutes(5));
        } catch (Exception e) {
            stack.close();
            throw e;
        }
        return new LocalStackCluster(stack);
    }

    @Override
    public String bootstrapServers() {
        return stack.bootstrapServers();
    }

    @Override
    public String registryUrl() {
        return stack.registryUrl();
    }

    @Override
    public List<String> meteringUrls() {
        return stack.meteringUrls();
    }

    @Override
    public Postgres postgres() {
        StackConfig.ExternalPostgres pg = stack.postgres();
        return new Postgres(pg.jdbcUrl(), pg.user(), pg.password(), LEDGER_SCHEMA);
    }

    @Override
    public String meteringGroup() {
        return MeteringApp.defaults().get("application.id");
    }

    @Override
    public List<String> brokers() {
        return names(stack.brokers());
    }

    @Override
    public String activeController() throws Exception {
        // Node ids are 1..N in the order of the brokers.
        return stack.brokers().get(stack.activeControllerId() - 1).name();
    }

    @Override
    public List<String> meteringInstances() {
        return names(stack.meteringInstances());
    }

    @Override
    public List<String> alertingInstances() {
        return names(stack.alertingInstances());
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
        Component component = stack.component(name);
        return new ProcessControl() {
            @Override
            public void kill() {
                component.kill();
            }

            @Override
            public void holdDown() {
                component.holdDown();
            }

            @Override
            public void release() {
                component.release();
            }

            @Override
            public void pause() {
                component.pause();
            }

            @Override
            public void resume() {
                component.resume();
            }

            @Override
            public void restart() throws Exception {
                component.restart();
            }

            @Override
            public boolean isAlive() {
                return component.isAlive();
            }
        };
    }

    @Override
    public String addMeteringInstance() throws Exception {
        return stack.addMeteringInstance().name();
    }

    @Override
    public void removeMeteringInstance(String name) {
        stack.removeMeteringInstance(stack.component(name));
    }

    @Override
    public void rollingBrokerRestart() throws Exception {
        stack.rollingBrokerRestart();
    }

    @Override
    public void awaitHealthy(Duration timeout) throws Exception {
        stack.awaitHealthy(timeout);
    }

    @Override
    public void close() {
        stack.close();
    }

    private static List<String> names(List<Component> components) {
        return components.stream().map(Component::name).toList();
    }
}
