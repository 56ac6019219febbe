package dev.costmeter.alerting.scopes;

import dev.costmeter.alerting.budgets.Budgets;
import dev.costmeter.alerting.budgets.Scopes;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.TaskCeiling;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Fans one priced call out to the scopes whose rules need a price and that rollups cannot serve:
 * its end user, its prompt version on its route (rollups know the version but not the route), its
 * model (only when unpriced or carrying a provider cost), and its task when a spend ceiling applies
 * to it (spend is counted from the moment a ceiling exists; without one, no task is tracked here).
 */
public final class LedgerSignals implements Processor<String, PricedUsage, String, ScopeSignal> {

    private final Function<ProcessorContext<?, ?>, Budgets> budgetsOf;
    private ProcessorContext<String, ScopeSignal> context;
    private Budgets budgets;

    public LedgerSignals(Function<ProcessorContext<?, ?>, Budgets> budgetsOf) {
        this.budgetsOf = budgetsOf;
    }

    @Override
    public void init(ProcessorContext<String, ScopeSignal> context) {
        this.context = context;
        this.budgets = budgetsOf.apply(context);
    }

    @Override
    public void process(Record<String, PricedUsage> record) {
        PricedUsage call = record.value();
        long at = call.getEventTime().toEpochMilli();
        ScopeSignal signal = new ScopeSignal(ScopeSignal.CALL, null, at, at, call.getCostNanos(), 1,
                call.getAttempt() > 1 ? 1 : 0, call.getStatus() == CallStatus.OK ? 0 : 1, call.getPriced(),
                call.getProviderCostNanos(), call.getTaskId(), call.getTaskClass(), call.getTenantId());
        if (call.getEndUserId() != null) {
            emit(Scopes.endUser(call.getTenantId(), call.getEndUserId()), signal, record);
        }
        if (call.getPromptVersion() != null) {
            emit(Scopes.prompt(call.getRoute(), call.getPromptVersion()), signal, record);
        }
        if (!call.getPriced() || call.getProviderCostNanos() != null) {
            emit(Scopes.model(call.getProvider(), call.getModel()), signal, record);
        }
        boolean spendCeiling = budgets.taskCeiling(call.getTaskClass(), call.getTenantId())
                .map(TaskCeiling::getMaxCostNanos).isPresent();
        if (spendCeiling) {
            emit(Scopes.task(call.getTaskId()), signal, record);
        }
    }

    private void emit(String scope, ScopeSignal signal, Record<String, PricedUsage> record) {
        context.forward(new Record<>(scope, signal, record.timestamp()));
    }
}
