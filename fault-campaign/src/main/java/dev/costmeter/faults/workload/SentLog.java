package dev.costmeter.faults.workload;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the driver sent and Kafka acknowledged: the oracle counts acknowledged records only, and the
 * report attributes each call to the fault window it was first sent in. Written from the driver
 * thread and the producer's callback thread.
 */
public final class SentLog {

    private final BitSet ackedCalls = new BitSet();
    private final BitSet ackedOutcomes = new BitSet();
    private final Map<Integer, byte[]> ackedPoison = new HashMap<>();
    private final long[] firstSentAtMs;
    private final List<Long> resentAtMs = new ArrayList<>();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong resendsBeforeAck = new AtomicLong();

    public SentLog(int calls) {
        this.firstSentAtMs = new long[calls];
    }

    synchronized void sent(int callIndex, long atMs) {
        if (firstSentAtMs[callIndex] == 0) {
            firstSentAtMs[callIndex] = atMs;
        }
    }

    synchronized void callAcked(int callIndex) {
        ackedCalls.set(callIndex);
    }

    synchronized void outcomeAcked(int outcomeIndex) {
        ackedOutcomes.set(outcomeIndex);
    }

    synchronized void poisonAcked(int poisonIndex, byte[] value) {
        ackedPoison.put(poisonIndex, value);
    }

    synchronized void resent(long atMs) {
        resentAtMs.add(atMs);
    }

    void sendFailed() {
        sendFailures.incrementAndGet();
    }

    void resentBeforeAck() {
        resendsBeforeAck.incrementAndGet();
    }

    public synchronized boolean isCallAcked(int callIndex) {
        return ackedCalls.get(callIndex);
    }

    public synchronized boolean isOutcomeAcked(int outcomeIndex) {
        return ackedOutcomes.get(outcomeIndex);
    }

    public synchronized int callsAcked() {
        return ackedCalls.cardinality();
    }

    /** Wall-clock epoch millis of a call's first send, 0 if never sent. */
    public synchronized long firstSentAtMs(int callIndex) {
        return firstSentAtMs[callIndex];
    }

    public synchronized Map<Integer, byte[]> ackedPoison() {
        return Map.copyOf(ackedPoison);
    }

    public synchronized List<Long> resentAtMs() {
        return List.copyOf(resentAtMs);
    }

    /** Sends Kafka failed (each was sent again until acknowledged). */
    public long sendFailures() {
        return sendFailures.get();
    }

    /** Planned re-sends that went out before the original was acknowledged (after waiting for it). */
    public long resendsBeforeAck() {
        return resendsBeforeAck.get();
    }
}
