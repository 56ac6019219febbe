package dev.costmeter.faults.workload;

import dev.costmeter.faults.price.CampaignPrices;

/** The campaign's budgets file ({@code costctl budgets apply} format): the capped tenant's DAY cap, BLOCK at 100%. */
public final class CampaignBudgets {

    private CampaignBudgets() {
    }

    public static String yaml(WorkloadPlan plan) {
        return "# Written by the fault campaign: a DAY cap that the tenant's planned spend crosses (limit = 3/4 of it).\n"
                + "policies:\n"
                + "  - scope: tenant:" + plan.cappedTenant() + "\n"
                + "    limits:\n"
                + "      - { period: DAY, limit_usd: \"" + CampaignPrices.usd(plan.capLimitNanos()) + "\" }\n"
                + "    warn_thresholds_pct: [50, 70]\n"
                + "    action: BLOCK\n";
    }
}
