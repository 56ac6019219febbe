package dev.costmeter.runtime.lifecycle;

/**
 * Something an app needs before it can process records, such as the ids of the schemas it writes
 * (a serializer that asked the registry in the middle of a transaction would fail it when the
 * registry is down). {@link StreamsApp#start} checks each precondition, retrying with back-off while
 * one throws, and starts Kafka Streams only once all hold; meanwhile the instance is alive and not
 * ready, and says which precondition it waits for.
 */
@FunctionalInterface
public interface StartPrecondition {

    /** Returns when the precondition holds; throws, with a message an operator can act on, while it does not. */
    void check() throws Exception;
}
