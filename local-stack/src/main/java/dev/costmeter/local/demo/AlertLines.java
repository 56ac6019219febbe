package dev.costmeter.local.demo;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.AlertAction;
import dev.costmeter.contracts.AlertStatus;
import dev.costmeter.contracts.ControlCommand;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The demo view's alert block: how many fired and resolved, the latest few, and how many it leaves
 * out. Figures are printed from the alert's fields (money by {@link DemoMoney}) rather than from its
 * summary, whose money has as many decimals as the amount needs.
 */
final class AlertLines {

    private AlertLines() {
    }

    /**
     * @param alerts   every alert seen, oldest first
     * @param shown    how many of the latest to list
     * @param switches the newest command per scope, for a DEGRADE's fallback model
     */
    static String render(List<Alert> alerts, int shown, Map<String, ControlCommand> switches) {
        long fired = alerts.stream().filter(a -> a.getStatus() == AlertStatus.FIRING).count();
        long resolved = alerts.size() - fired;
        int listed = Math.min(shown, alerts.size());
        StringBuilder s = new StringBuilder(String.format("alerts: %d fired, %d resolved", fired, resolved));
        if (listed > 0) {
            s.append(listed < alerts.size() ? String.format(" (latest %d below, %d more not shown)", listed, alerts.size() - listed)
                    : " (latest first)");
        }
        s.append(String.format("%n"));
        for (int i = alerts.size() - 1; i >= alerts.size() - listed; i--) {
            s.append(line(alerts.get(i), switches)).append(String.format("%n"));
        }
        return s.toString();
    }

    static String line(Alert a, Map<String, ControlCommand> switches) {
        String rule = a.getRule() + (a.getThresholdPct() == null ? "" : " " + a.getThresholdPct() + "%");
        return String.format("  %-8s %-8s %-16s %-36s %s%s", a.getStatus(), a.getSeverity(), rule, a.getScope(),
                figures(a), action(a, switches));
    }

    /** Observed against limit, in the alert's unit. */
    static String figures(Alert a) {
        return switch (a.getUnit()) {
            case "nanos" -> DemoMoney.usd(a.getObservedValue()) + " of " + DemoMoney.usd(a.getLimitValue());
            case "bps" -> percent(a.getObservedValue()) + " of " + percent(a.getLimitValue());
            default -> a.getObservedValue() + " of " + a.getLimitValue() + " " + a.getUnit();
        };
    }

    private static String percent(long bps) {
        return BigDecimal.valueOf(bps, 2).toPlainString() + "%";
    }

    private static String action(Alert a, Map<String, ControlCommand> switches) {
        if (a.getStatus() != AlertStatus.FIRING || a.getAction() == AlertAction.NONE) {
            return "";
        }
        if (a.getAction() == AlertAction.DEGRADE) {
            ControlCommand command = switches.get(a.getScope());
            String fallback = command == null || command.getFallbackModel() == null ? "a cheaper model" : command.getFallbackModel();
            return "  -> DEGRADE to " + fallback;
        }
        return "  -> " + a.getAction();
    }
}
