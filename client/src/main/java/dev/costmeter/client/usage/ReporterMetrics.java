package dev.costmeter.client.usage;

/**
 * Counters of a {@link UsageReporter}, readable at any time and cheap to read, so a service can
 * export them to whatever metrics system it uses. Every accepted event ends up in exactly one of
 * {@link #sent()}, {@link #sendErrors()} or, if abandoned at close, {@link #dropped()}.
 */
public interface ReporterMetrics {

    /** Events accepted into the buffer since start. */
    long queued();

    /** Events in the buffer now, not yet handed to the producer. */
    int buffered();

    /** Events the broker acknowledged. */
    long sent();

    /** Events refused because the buffer was full, or still buffered when close timed out. */
    long dropped();

    /** Events the producer failed to deliver (serialization, registry, timeout, authorization). */
    long sendErrors();
}
