package dev.costmeter.runtime.deadletter;

import dev.costmeter.runtime.lifecycle.RuntimeMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processing-exception handler of every costmeter app: an exception thrown while processing a
 * record (an overflowing sum, a bug) never kills the stream thread and never loses the record.
 *
 * <ul>
 *   <li>{@link RetryLaterException} anywhere in the cause chain (the record is fine, something it
 *       needs is not reachable): FAIL, so the thread restarts from its last commit and meets the
 *       record again; nothing is dead-lettered;</li>
 *   <li>a record read from one of {@value #SKIP_TOPICS_CONFIG} (a topic another app validates and
 *       dead-letters): logged, counted, skipped;</li>
 *   <li>any other record: sent to {@value #DLQ_TOPIC_CONFIG} exactly as it was read from its source
 *       topic (raw key and value), with {@link DeadLetters} headers, reason
 *       {@value DeadLetters#PROCESSING_ERROR} and the exception and processor in the detail; under
 *       exactly-once the dead letter is part of the task's transaction, so it is written once;</li>
 *   <li>an error without a source record (a punctuation): logged and counted.</li>
 * </ul>
 * Every case moves {@value RuntimeMeters#PROCESSING_ERRORS}{@code {processor, outcome}}.
 *
 * <p>Note that a record whose processing failed at a downstream processor may already have been
 * forwarded to earlier siblings' outputs; processors therefore validate before they forward.
 */
public class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    /** Streams config: the dead-letter topic (required for dead-lettering; without it, errors are skipped). */
    public static final String DLQ_TOPIC_CONFIG = "costmeter.dlq.topic";
    /** Streams config: the app name written in {@link DeadLetters#APP}. */
    public static final String APP_CONFIG = "costmeter.dlq.app";
    /** Streams config: comma-separated source topics whose failed records are skipped, not dead-lettered. */
    public static final String SKIP_TOPICS_CONFIG = "costmeter.dlq.skip.topics";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private MeterRegistry registry = Metrics.globalRegistry;
    private String dlqTopic;
    private String app = "unknown";
    private Set<String> skipTopics = Set.of();

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(CountingLogAndContinueHandler.METER_REGISTRY_CONFIG) instanceof MeterRegistry configured) {
            registry = configured;
        }
        Object topic = configs.get(DLQ_TOPIC_CONFIG);
        dlqTopic = topic == null || topic.toString().isBlank() ? null : topic.toString();
        Object name = configs.get(APP_CONFIG);
        if (name != null) {
            app = name.toString();
        }
        Object skip = configs.get(SKIP_TOPICS_CONFIG);
        if (skip != null && !skip.toString().isBlank()) {
            skipTopics = Set.of(skip.toString().trim().split("\\s*,\\s*"));
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        String processor = context.processorNodeId();
        if (RetryLaterException.isCause(exception)) {
            count(processor, "retry");
            log.warn("Processor {} cannot process {}-{}@{} now ({}); the stream thread restarts from its last commit "
                    + "and retries it", processor, context.topic(), context.partition(), context.offset(), exception.toString());
            return Response.fail();
        }
        String detail = exception.getClass().getSimpleName() + " in " + processor + ": " + exception.getMessage();
        if (context.sourceRawValue() == null || context.topic() == null) {
            count(processor, "logged");
            log.error("Processor {} failed outside a source record (task {}); continuing", processor, context.taskId(), exception);
            return Response.resume();
        }
        if (skipTopics.contains(context.topic()) || dlqTopic == null) {
            count(processor, "skipped");
            log.error("Processor {} failed on {}-{}@{}; skipping the record (its topic's owner dead-letters bad records): {}",
                    processor, context.topic(), context.partition(), context.offset(), detail, exception);
            return Response.resume();
        }
        count(processor, "dead-lettered");
        log.error("Processor {} failed on {}-{}@{}; sending the record to {}: {}", processor, context.topic(),
                context.partition(), context.offset(), dlqTopic, detail, exception);
        ProducerRecord<byte[], byte[]> deadLetter = new ProducerRecord<>(dlqTopic, null, null, context.sourceRawKey(),
                context.sourceRawValue(), DeadLetters.headers(DeadLetters.PROCESSING_ERROR, detail, context.topic(),
                        context.partition(), context.offset(), app, System.currentTimeMillis()));
        return Response.resume(List.of(deadLetter));
    }

    private void count(String processor, String outcome) {
        registry.counter(RuntimeMeters.PROCESSING_ERRORS, "processor", String.valueOf(processor), "outcome", outcome)
                .increment();
    }
}
