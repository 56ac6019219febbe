package dev.costmeter.faults.oracle;

/**
 * An alert the workload was designed to cause: FIRING exactly once.
 *
 * @param threshold the threshold part of the dedup key, e.g. {@code DAY-50} or {@code K8}
 * @param dedupKey  the whole dedup key when it is known in advance (periodic rules), else null
 *                  (a loop's key carries the moment alerting first saw the task)
 */
public record ExpectedAlert(String rule, String scope, String threshold, String dedupKey) {
}
