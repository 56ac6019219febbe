package dev.costmeter.faults.campaign;

import dev.costmeter.faults.cluster.Cluster;
import java.nio.file.Path;

/** Starts the local cluster the campaign runs on (deploy's local stack, through its adapter). */
final class LocalCluster {

    private LocalCluster() {
    }

    static Cluster start(Path dataDir, int brokers, int metering, int alerting) {
        throw new UnsupportedOperationException("The local cluster API (deploy's LocalStack with brokers and instances)"
                + " is not on this branch yet: see fault-campaign/src/cluster-adapter/README.md");
    }
}
