package dev.costmeter.metering.query;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** Read access to this instance's state stores: the running app's, or a test driver's. */
public interface StoreAccess {

    <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String name);

    <K, V> ReadOnlyWindowStore<K, V> window(String name);
}
