package dev.costmeter.alerting.scopes;

import dev.costmeter.alerting.budgets.Scopes;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.PricedUsage;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Fans one ledger row out to the scopes whose rules need the ledger and that rollups cannot serve:
 * its end user and its prompt version on its route (rollups know the version but not the route;
 * the failure share and retry storm of a prompt version, and the reconciliation of their caps'
 * fast path, read these), and its model (only when unpriced or carrying a provider cost). A task's
 * spend ceiling is checked on the priced usage event itself, by {@code TaskGuard}.
 */
public final class LedgerSignals implements Processor<String, PricedUsage, String, ScopeSignal> {

    private ProcessorContext<String, ScopeSignal> context;

    @Override
    public void init(ProcessorContext<String, ScopeSignal> context) {
        this.context = context;
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
    }

    private void emit(String scope, ScopeSignal signal, Record<String, PricedUsage> record) {
        context.forward(new Record<>(scope, signal, record.timestamp()));
    }
}
