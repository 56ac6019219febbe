package dev.costmeter.connect.ledger;

import dev.costmeter.contracts.LedgerCorrection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Writes applied corrections to {@code ledger_corrections}. A correction id is written once: a
 * redelivery, replay or a correction issued twice changes nothing, and the ledger row it corrects
 * is never touched.
 */
final class CorrectionsTable {

    static final UpsertStatement<Sourced<LedgerCorrection>> CORRECTIONS = new UpsertStatement<>("ledger_corrections",
            List.of("correction_id", "event_id", "event_time", "event_day", "tenant_id", "task_id", "task_class", "route",
                    "prompt_version", "provider", "model", "attempt", "old_cost_nanos", "new_cost_nanos",
                    "cost_delta_nanos", "input_cost_delta_nanos", "output_cost_delta_nanos",
                    "cache_read_cost_delta_nanos", "cache_write_cost_delta_nanos", "request_fees_cost_delta_nanos",
                    "savings_delta_nanos", "was_priced",
                    "old_price_version", "new_price_version", "reason", "issued_at", "source_topic", "source_partition",
                    "source_offset"),
            "ON CONFLICT (correction_id) DO NOTHING",
            CorrectionsTable::bind);

    private CorrectionsTable() {
    }

    private static void bind(RowValues s, int i, Sourced<LedgerCorrection> sourced) throws SQLException {
        LedgerCorrection c = sourced.value();
        s.setString(i++, c.getCorrectionId());
        s.setString(i++, c.getEventId());
        s.setObject(i++, OffsetDateTime.ofInstant(c.getEventTime(), ZoneOffset.UTC));
        s.setObject(i++, LocalDate.ofInstant(c.getEventTime(), ZoneOffset.UTC));
        s.setString(i++, c.getTenantId());
        s.setString(i++, c.getTaskId());
        s.setString(i++, c.getTaskClass());
        s.setString(i++, c.getRoute());
        s.setString(i++, c.getPromptVersion());
        s.setString(i++, c.getProvider());
        s.setString(i++, c.getModel());
        s.setInt(i++, c.getAttempt());
        s.setLong(i++, c.getOldCostNanos());
        s.setLong(i++, c.getNewCostNanos());
        s.setLong(i++, c.getCostDeltaNanos());
        s.setLong(i++, c.getInputCostDeltaNanos());
        s.setLong(i++, c.getOutputCostDeltaNanos());
        s.setLong(i++, c.getCacheReadCostDeltaNanos());
        s.setLong(i++, c.getCacheWriteCostDeltaNanos());
        s.setLong(i++, c.getRequestFeesCostDeltaNanos());
        s.setLong(i++, c.getSavingsDeltaNanos());
        s.setBoolean(i++, c.getWasPriced());
        s.setString(i++, c.getOldPriceVersion());
        s.setString(i++, c.getNewPriceVersion());
        s.setString(i++, c.getReason());
        s.setObject(i++, OffsetDateTime.ofInstant(c.getIssuedAt(), ZoneOffset.UTC));
        s.setString(i++, sourced.record().topic());
        s.setInt(i++, sourced.record().kafkaPartition());
        s.setLong(i, sourced.record().kafkaOffset());
    }
}
