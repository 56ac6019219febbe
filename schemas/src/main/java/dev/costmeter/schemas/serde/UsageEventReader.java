package dev.costmeter.schemas.serde;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.UsageEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Reads a {@link UsageEvent}, the record every metered call arrives as, field by field, into the
 * same object Avro's {@code SpecificDatumReader} builds from it, when the writer's schema is the
 * reader's (the usual case: producers and metering share the contract). Avro's reader, even its
 * "fast" one, sets each field through {@code put(int, Object)}, boxing every number, reads unions,
 * enums and maps through generic steps, and builds a new {@link Utf8} for every string before
 * decoding it. Measured with JFR on the default shape of issue #19's benchmark
 * (docs/benchmarks.md): decoding took 8.5% of metering's stream thread with Avro's reader, and 6.6%
 * and 7.8% (two rounds) with this one. Small, but it is paid on every call, by metering and alerting.
 *
 * <p>The values of the fields that name things rather than one call (tenant, kind of work, route,
 * prompt version, provider, model, tool, service tier, label keys, request kinds) come out as one
 * {@link String} per distinct value, kept per thread in a small table ({@link Names}): no new
 * string per event, and the maps metering looks these names up in on every call (prices, rollup
 * scopes, a task's models, metrics) hash a kept string once and compare it by reference.
 *
 * <p>The field order is written out by hand, so it applies only to the schema it was written for:
 * {@link #matches} compares the writer schema's parsing fingerprint and its logical types with
 * those. {@link AvroDeserializer} resolves any other writer schema (older or newer producers) with
 * Avro's reader, and a test fails when the contract changes until this class is brought up to date.
 */
final class UsageEventReader implements DatumReader<UsageEvent> {

    /** {@link SchemaNormalization#parsingFingerprint64} of the UsageEvent schema this class reads. */
    static final long FINGERPRINT = 8913980716555384277L;

    private static final CallStatus[] STATUSES = CallStatus.values();
    /**
     * The calling thread's scratch for string bytes: {@code Decoder.readString()} builds a new
     * {@link Utf8} and byte array for every string before decoding it (a tenth of an event's decoding
     * in JFR), ten strings per event.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final int MAX_KEPT_SCRATCH_BYTES = 64 * 1024;

    /** A thread's string bytes and names. */
    private static final class Scratch {
        Utf8 bytes = new Utf8();
        final Names names = new Names();
    }

    /**
     * Names seen lately, by their UTF-8 bytes: a direct-mapped table of {@value #SLOTS} slots, each
     * holding the last name whose bytes hash there. Bounded whatever the data (a name over
     * {@value #MAX_NAME_BYTES} bytes is not kept; a slot is overwritten by the next name that hashes
     * there), and right whatever it holds: a kept string is returned only for equal bytes.
     */
    static final class Names {
        static final int SLOTS = 4096;
        static final int MAX_NAME_BYTES = 96;
        private final byte[][] bytes = new byte[SLOTS][];
        private final String[] strings = new String[SLOTS];

        String of(byte[] utf8, int length) {
            if (length > MAX_NAME_BYTES) {
                return new String(utf8, 0, length, StandardCharsets.UTF_8);
            }
            int hash = 0;
            for (int i = 0; i < length; i++) {
                hash = 31 * hash + utf8[i];
            }
            int slot = (hash ^ (hash >>> 12)) & (SLOTS - 1);
            byte[] kept = bytes[slot];
            if (kept != null && Arrays.equals(kept, 0, kept.length, utf8, 0, length)) {
                return strings[slot];
            }
            String name = new String(utf8, 0, length, StandardCharsets.UTF_8);
            name.hashCode(); // computed once, kept in the string for every map it is looked up in
            bytes[slot] = Arrays.copyOf(utf8, length);
            strings[slot] = name;
            return name;
        }
    }

    /** Whether the generated {@link UsageEvent} is the contract this class was written for (checked once). */
    private static final boolean GENERATED_CLASS_MATCHES = isTheContract(UsageEvent.getClassSchema());

    /** Whether records written with {@code writer} can be read by this class as the current {@link UsageEvent}. */
    static boolean matches(Schema writer) {
        return GENERATED_CLASS_MATCHES && isTheContract(writer);
    }

    private static boolean isTheContract(Schema schema) {
        return HandWrittenSchemas.isExactly(schema, UsageEvent.class.getName(), FINGERPRINT, Set.of("event_time"));
    }

    @Override
    public void setSchema(Schema schema) {
        if (!matches(schema)) {
            throw new IllegalArgumentException("UsageEventReader reads only the schema it was written for, not " + schema);
        }
    }

    @Override
    public UsageEvent read(UsageEvent reuse, Decoder in) throws IOException {
        UsageEvent event = reuse != null ? reuse : new UsageEvent();
        Scratch thread = SCRATCH.get();
        Utf8 scratch = thread.bytes;
        Names names = thread.names;
        event.setEventId(string(in, scratch));
        event.setEventTime(Instant.ofEpochMilli(in.readLong()));
        event.setTenantId(name(in, scratch, names));
        event.setTaskId(string(in, scratch));
        event.setTaskClass(name(in, scratch, names));
        event.setRoute(name(in, scratch, names));
        event.setPromptVersion(present(in) ? name(in, scratch, names) : null);
        event.setEndUserId(nullableString(in, scratch));
        event.setProvider(name(in, scratch, names));
        event.setModel(name(in, scratch, names));
        event.setInputTokens(in.readLong());
        event.setOutputTokens(in.readLong());
        event.setCacheReadTokens(in.readLong());
        event.setCacheWriteTokens(in.readLong());
        event.setReasoningTokens(in.readLong());
        event.setBatch(in.readBoolean());
        event.setAttempt(in.readInt());
        event.setStep(present(in) ? in.readInt() : null);
        event.setToolName(present(in) ? name(in, scratch, names) : null);
        event.setToolArgsHash(nullableString(in, scratch));
        event.setPromptHash(nullableString(in, scratch));
        int status = in.readEnum();
        if (status < 0 || status >= STATUSES.length) {
            throw new AvroTypeException("CallStatus has no symbol " + status);
        }
        event.setStatus(STATUSES[status]);
        event.setResponseCacheHit(in.readBoolean());
        event.setLatencyMs(present(in) ? in.readInt() : null);
        event.setProviderCostNanos(present(in) ? in.readLong() : null);
        Map<String, String> labels = new HashMap<>();
        for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
            for (long i = 0; i < n; i++) {
                labels.put(name(in, scratch, names), string(in, scratch));
            }
        }
        event.setLabels(labels);
        event.setCacheWrite1hTokens(in.readLong());
        event.setServiceTier(present(in) ? name(in, scratch, names) : null);
        Map<String, Long> requests = new HashMap<>();
        for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
            for (long i = 0; i < n; i++) {
                requests.put(name(in, scratch, names), in.readLong());
            }
        }
        event.setRequestCounts(requests);
        if (scratch.getBytes().length > MAX_KEPT_SCRATCH_BYTES) {
            thread.bytes = new Utf8(); // an unusually long string: its bytes are not kept for the thread's life
        }
        return event;
    }

    private static String nullableString(Decoder in, Utf8 scratch) throws IOException {
        return present(in) ? string(in, scratch) : null;
    }

    /** A string that names something (see {@link Names}). */
    private static String name(Decoder in, Utf8 scratch, Names names) throws IOException {
        Utf8 read = in.readString(scratch);
        return names.of(read.getBytes(), read.getByteLength());
    }

    private static String string(Decoder in, Utf8 scratch) throws IOException {
        // readString(Utf8) reuses the scratch's array when it is large enough, and clears its cached String.
        return in.readString(scratch).toString();
    }

    /** A ["null", T] union's branch: false for null, true when a value follows. */
    private static boolean present(Decoder in) throws IOException {
        int branch = in.readIndex();
        if (branch == 0) {
            return false;
        }
        if (branch == 1) {
            return true;
        }
        throw new AvroTypeException("A [\"null\", T] union has no branch " + branch);
    }
}
