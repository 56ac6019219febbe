package dev.costmeter.client.usage;

import dev.costmeter.contracts.UsageEvent;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What reporting one call costs the caller's thread: building the event with the fluent API and
 * handing it to the buffer. The sender thread drains into kafka-clients' own in-memory producer
 * (acknowledging at once, keeping nothing) so the figure is the caller's cost, not the network's;
 * the delivery path itself is covered by ClientIT against a real broker.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReportBenchmark {

    private static final long PACING_TOKENS = 500;
    private static final TokenUsage TOKENS = new TokenUsage(78, 651, 1408, 0, 512);

    private UsageReporter reporter;
    private int n;

    @Setup(Level.Iteration)
    public void start() {
        RecordMetadata acknowledged = new RecordMetadata(new TopicPartition("llm.usage.v1", 0), 0, 0, 0, 0, 0);
        MockProducer<String, UsageEvent> producer = new MockProducer<>(true, null, new StringSerializer(), (topic, e) -> new byte[0]) {
            @Override
            public Future<RecordMetadata> send(ProducerRecord<String, UsageEvent> record, Callback callback) {
                callback.onCompletion(acknowledged, null);
                return CompletableFuture.completedFuture(acknowledged);
            }
        };
        reporter = UsageReporter.builder().bootstrapServers("unused:9092").registryUrl("http://unused")
                .bufferCapacity(100_000).build(producer);
    }

    /** A fresh reporter per iteration, so each iteration's counters (printed) say which path it took. */
    @TearDown(Level.Iteration)
    public void stop() {
        reporter.close();
        System.out.print(" [" + reporter.metrics() + "] ");
    }

    /**
     * Back-to-back reports, faster than the sender thread drains on two cores: the buffer fills
     * and part of the calls take the (cheaper) drop path. An upper bound on load, not a service.
     */
    @Benchmark
    public boolean reportOneCallSaturated() {
        return report();
    }

    /**
     * One report after about a microsecond of other work, a rate the sender keeps up with, so every
     * call takes the accepted path. Subtract {@link #pacingOnly()} for the report's own cost.
     */
    @Benchmark
    public boolean reportOneCallPaced() {
        Blackhole.consumeCPU(PACING_TOKENS);
        return report();
    }

    /** The pacing alone, to subtract from {@link #reportOneCallPaced()}. */
    @Benchmark
    public void pacingOnly() {
        Blackhole.consumeCPU(PACING_TOKENS);
    }

    private boolean report() {
        n++;
        return reporter.call().tenant("acme").task("task-" + (n & 1023), "support-answer").route("chat")
                .promptVersion("answer@v7").model("openai", "gpt-4o").usage(TOKENS).step(n, "search_web", "h1")
                .report();
    }
}
