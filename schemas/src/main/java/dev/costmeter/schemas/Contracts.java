package dev.costmeter.schemas;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.TaskOutcome;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.schemas.topics.TopicNames;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** Every record costmeter puts on a topic, with the topic it goes to. */
public final class Contracts {

    /** A value type and its topic. */
    public record Contract(Class<? extends SpecificRecord> type, Schema schema, TopicNames.Logical topic) {
    }

    /** All contracts, in dependency order of the pipeline. */
    public static final List<Contract> ALL = List.of(
            new Contract(UsageEvent.class, UsageEvent.getClassSchema(), TopicNames.Logical.USAGE),
            new Contract(TaskOutcome.class, TaskOutcome.getClassSchema(), TopicNames.Logical.TASK_OUTCOMES),
            new Contract(PriceEntry.class, PriceEntry.getClassSchema(), TopicNames.Logical.PRICES),
            new Contract(BudgetPolicy.class, BudgetPolicy.getClassSchema(), TopicNames.Logical.BUDGETS),
            new Contract(PricedUsage.class, PricedUsage.getClassSchema(), TopicNames.Logical.LEDGER),
            new Contract(CostRollup.class, CostRollup.getClassSchema(), TopicNames.Logical.ROLLUPS),
            new Contract(Alert.class, Alert.getClassSchema(), TopicNames.Logical.ALERTS),
            new Contract(ControlCommand.class, ControlCommand.getClassSchema(), TopicNames.Logical.CONTROL),
            new Contract(LedgerCorrection.class, LedgerCorrection.getClassSchema(), TopicNames.Logical.PRICE_CORRECTIONS),
            new Contract(LedgerCorrection.class, LedgerCorrection.getClassSchema(), TopicNames.Logical.LEDGER_CORRECTIONS));

    private Contracts() {
    }
}
