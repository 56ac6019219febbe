package dev.costmeter.faults.check;

import java.util.List;
import java.util.Optional;

/**
 * Where the checker reads each store; a store left out is not checked.
 *
 * @param meteringUrls metering-stream instances (query API); empty: not checked
 * @param postgres     the PostgreSQL ledger; empty: not checked
 * @param alerts       whether the alerts and control topics are checked
 * @param taskSample   how many tasks to ask the query API for (all when there are fewer); tasks with
 *                     more calls than metering keeps ids for are always asked
 */
public record Sources(String bootstrapServers, String registryUrl, Topics topics, List<String> meteringUrls,
        Optional<PostgresLedger> postgres, boolean alerts, int taskSample) {

    /** The topic names the stores live on. */
    public record Topics(String ledger, String usageDlq, String alerts, String control, String usage) {
    }
}
