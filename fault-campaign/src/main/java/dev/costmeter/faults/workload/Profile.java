package dev.costmeter.faults.workload;

import dev.costmeter.faults.price.CampaignPrices;
import dev.costmeter.faults.price.ModelPrice;
import java.util.List;

/** A kind of work in the workload: its task class, route and the models its calls use. */
enum Profile {
    /** Support answers on a prompt-cached system prompt: one cache write, then cache reads. */
    TICKET("ticket-answer", "helpdesk", List.of(CampaignPrices.SONNET)),
    /** Retrieval QA with long contexts, some above the long-context threshold, some exactly at it. */
    DOC_QA("doc-qa", "doc-search", List.of(CampaignPrices.PRO)),
    /** Classification through the batch API. */
    BULK("bulk-classify", "nightly-batch", List.of(CampaignPrices.MINI)),
    /** Summaries, often answered from the application's response cache. */
    SUMMARY("summary", "summaries", List.of(CampaignPrices.NANO)),
    /** Triage on two small models. */
    TRIAGE("triage", "triage", List.of(CampaignPrices.MINI, CampaignPrices.NANO)),
    /** Agent runs with tool calls on two models; the long and the runaway tasks are of this kind. */
    AGENT("research-agent", "agent", List.of(CampaignPrices.SONNET, CampaignPrices.MINI));

    final String taskClass;
    final String route;
    final List<ModelPrice> models;

    Profile(String taskClass, String route, List<ModelPrice> models) {
        this.taskClass = taskClass;
        this.route = route;
        this.models = models;
    }
}
