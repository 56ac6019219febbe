package dev.costmeter.faults.check;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The usage DLQ against the bad records sent.
 *
 * @param missing    bad records not dead-lettered (by poison index, with their kind)
 * @param duplicated bad records dead-lettered more than once
 * @param wrongReason bad records dead-lettered with another reason: poison index → reason found
 * @param unexpected dead letters that are no bad record the workload sent (a valid call lost, or a
 *                   record another app dead-lettered)
 */
public record DeadLetterResult(long read, Set<String> missing, Map<String, Integer> duplicated,
        Map<String, String> wrongReason, List<DeadLetter> unexpected) {

    public boolean ok() {
        return missing.isEmpty() && duplicated.isEmpty() && wrongReason.isEmpty() && unexpected.isEmpty();
    }
}
