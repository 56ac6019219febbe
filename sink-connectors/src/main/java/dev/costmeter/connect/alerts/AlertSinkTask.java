package dev.costmeter.connect.alerts;

import dev.costmeter.connect.Version;
import dev.costmeter.connect.decode.RecordDecoder;
import dev.costmeter.contracts.Alert;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each alert to every configured endpoint, in order. A record that cannot be decoded, or
 * that an endpoint refuses with a 4xx, goes to the errant-record reporter. When an endpoint keeps
 * failing after its retries the task asks Connect to redeliver the batch later; deliveries that
 * already succeeded are remembered and not repeated, so on-call is paged once.
 */
public final class AlertSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(AlertSinkTask.class);

    private AlertSinkConfig config;
    private RecordDecoder decoder;
    private AlertDelivery delivery;
    // "topic/partition/offset/endpoint" of deliveries done in a batch Connect may redeliver.
    private final Set<String> delivered = new HashSet<>();

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new AlertSinkConfig(props);
        decoder = new RecordDecoder(config.registryConfigs());
        WebhookSender sender = new WebhookSender(config.httpTimeout(), () -> ZonedDateTime.now(ZoneOffset.UTC));
        delivery = new AlertDelivery(sender, Pause.REAL, System::nanoTime, config.endpoints(), config.maxRetries(),
                config.retryBackoff(), config.retryBackoffMax());
        LOG.info("Alert sink task delivering to {}", config.endpoints());
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        for (SinkRecord record : records) {
            Alert alert;
            try {
                alert = decoder.decode(record, Alert.class);
            } catch (DataException e) {
                report(record, e);
                continue;
            } catch (RetriableException e) {
                // The registry cannot answer: Connect redelivers the batch; what was delivered is remembered.
                LOG.warn("{}; retrying the batch in {} ms", e.getMessage(), config.retryBackoff().toMillis());
                context.timeout(config.retryBackoff().toMillis());
                throw e;
            }
            for (Endpoint endpoint : config.endpoints()) {
                deliver(record, alert, endpoint);
            }
        }
        delivered.clear();
    }

    private void deliver(SinkRecord record, Alert alert, Endpoint endpoint) {
        String id = RecordDecoder.coordinates(record) + "/" + endpoint.name();
        if (delivered.contains(id)) {
            return;
        }
        AlertDelivery.Result result;
        try {
            result = delivery.deliver(endpoint, AlertPayloads.body(endpoint, alert));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while delivering " + RecordDecoder.coordinates(record), e);
        }
        switch (result.outcome()) {
            case DELIVERED -> {
                delivered.add(id);
                LOG.debug("Alert {} ({} {}) delivered to {}", alert.getAlertId(), alert.getStatus(), alert.getDedupKey(), endpoint);
            }
            case REJECTED -> {
                delivered.add(id); // reported once; a redelivered batch must not report it again
                report(record, new DataException(result.reason()));
            }
            case GAVE_UP -> {
                LOG.warn("{}; Connect redelivers the batch in {} ms", result.reason(), config.retryBackoffMax().toMillis());
                context.timeout(config.retryBackoffMax().toMillis());
                throw new RetriableException(result.reason());
            }
            default -> throw new IllegalStateException(result.outcome().name());
        }
    }

    private void report(SinkRecord record, Throwable error) {
        ErrantRecordReporter reporter = context.errantRecordReporter();
        if (reporter == null) {
            throw new ConnectException("Record " + RecordDecoder.coordinates(record)
                    + " cannot be delivered and this worker has no errant-record reporter: " + error.getMessage(), error);
        }
        LOG.warn("Record {} sent to the dead-letter queue: {}", RecordDecoder.coordinates(record), error.getMessage());
        reporter.report(record, error);
    }

    @Override
    public void stop() {
        if (decoder != null) {
            decoder.close();
        }
    }
}
