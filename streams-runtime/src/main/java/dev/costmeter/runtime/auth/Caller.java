package dev.costmeter.runtime.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who is asking, as the bearer token's scopes say: an operator reads everything, a tenant-scoped
 * caller reads only its tenants' data, a metrics-scoped caller reads {@code /metrics} only. With
 * authentication off (no tokens, bound to loopback, or {@code http.auth.disabled=true}) every
 * caller is {@link #unrestricted()}.
 *
 * <p>Routes check with {@link #requireTenant} (data of one tenant) and {@link #requireAllTenants}
 * (data that mixes tenants, such as spend by model); both throw {@link AccessDeniedException}, which
 * the HTTP layer answers with 403 and no data.
 */
public final class Caller {

    private static final Caller UNRESTRICTED = new Caller(true, true, Set.of());

    private final boolean operator;
    private final boolean metrics;
    private final Set<String> tenants;

    private Caller(boolean operator, boolean metrics, Set<String> tenants) {
        this.operator = operator;
        this.metrics = metrics;
        this.tenants = Set.copyOf(tenants);
    }

    /** A caller with every right: what every request is when authentication is off. */
    public static Caller unrestricted() {
        return UNRESTRICTED;
    }

    /** A caller with the given scopes: {@code operator}, {@code metrics} and tenants ({@code tenant:<id>}). */
    public static Caller of(boolean operator, boolean metrics, Set<String> tenants) {
        return new Caller(operator, metrics || operator, Objects.requireNonNull(tenants, "tenants"));
    }

    /** Whether this caller reads everything. */
    public boolean isOperator() {
        return operator;
    }

    /** Whether this caller may read {@code /metrics} (operators may). */
    public boolean mayReadMetrics() {
        return metrics;
    }

    /** The tenants a non-operator caller may read; empty for an operator (who reads all). */
    public Set<String> tenants() {
        return operator ? Set.of() : tenants;
    }

    /** Whether this caller may read the data of {@code tenant}. */
    public boolean mayRead(String tenant) {
        return operator || (tenant != null && tenants.contains(tenant));
    }

    /**
     * @throws AccessDeniedException unless this caller may read {@code tenant}'s data
     */
    public void requireTenant(String tenant, String what) {
        if (!mayRead(tenant)) {
            throw new AccessDeniedException("this token may not read " + what);
        }
    }

    /**
     * For data that mixes tenants (spend by route or model, statistics of a kind of work).
     *
     * @throws AccessDeniedException unless this caller is an operator
     */
    public void requireAllTenants(String what) {
        if (!operator) {
            throw new AccessDeniedException("only an operator token may read " + what + " (it spans tenants)");
        }
    }

    @Override
    public String toString() {
        return operator ? "Caller{operator}" : "Caller{tenants=" + tenants + ", metrics=" + metrics + "}";
    }
}
