package dev.costmeter.cli.whatif;

import dev.costmeter.contracts.PricedUsage;
import java.time.Instant;

/**
 * Which ledgered calls a what-if looks at: event time in [{@code from}, {@code to}) and, when given,
 * the tenant, route and task_class (null matches any).
 */
public record Selection(Instant from, Instant to, String tenant, String route, String taskClass) {

    public Selection {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the period is empty: --from " + from + " must be before --to " + to);
        }
    }

    /** Whether the call's event time lies in the period. */
    boolean inPeriod(PricedUsage call) {
        return !call.getEventTime().isBefore(from) && call.getEventTime().isBefore(to);
    }

    /** Whether the call is in the period and matches every filter given. */
    boolean selects(PricedUsage call) {
        return inPeriod(call) && matches(tenant, call.getTenantId()) && matches(route, call.getRoute())
                && matches(taskClass, call.getTaskClass());
    }

    private static boolean matches(String wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }

    /** The filters, as the output states them. */
    String describe() {
        StringBuilder out = new StringBuilder();
        if (tenant != null) {
            out.append("tenant ").append(tenant).append(", ");
        }
        if (route != null) {
            out.append("route ").append(route).append(", ");
        }
        if (taskClass != null) {
            out.append("task_class ").append(taskClass).append(", ");
        }
        return out.length() == 0 ? "every call" : out.substring(0, out.length() - 2);
    }
}
