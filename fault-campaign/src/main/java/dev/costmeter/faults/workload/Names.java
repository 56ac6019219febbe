package dev.costmeter.faults.workload;

import java.util.List;

/**
 * The workload's tenants, routes and kinds of work. None is a name the local stack's shipped budgets
 * ({@code examples/budgets.yaml}) or price catalog govern, so those policies never see campaign traffic.
 */
public final class Names {

    public static final List<String> TENANTS = List.of("northwind", "contoso", "fabrikam", "tailspin", "wingtip", "adatum");
    /** The tenant the campaign gives a DAY budget its spend crosses. */
    public static final String CAPPED_TENANT = "litware";

    private Names() {
    }
}
