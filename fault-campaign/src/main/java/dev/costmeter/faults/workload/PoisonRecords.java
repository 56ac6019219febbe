package dev.costmeter.faults.workload;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.faults.price.CampaignPrices;
import dev.costmeter.faults.price.ModelPrice;
import dev.costmeter.schemas.wire.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The bytes of each bad record. Every record is unique (its own event id or random content), so the
 * checker can find each one in the DLQ by its bytes. Made when the run starts, while the registry is
 * up: the wrong-record-type poison registers the ledger's schema under the ledger topic's subject,
 * as metering itself does.
 */
public final class PoisonRecords {

    /** Schema ids this far up are never handed out by a registry holding costmeter's few schemas. */
    private static final int UNKNOWN_SCHEMA_ID_BASE = 0x7FFF0000;
    private static final Instant BEFORE_1970 = Instant.parse("1969-07-20T20:17:40Z");

    private final Serializer<UsageEvent> usage;
    private final Serializer<PricedUsage> ledger;
    private final String usageTopic;
    private final String ledgerTopic;

    public PoisonRecords(Serializer<UsageEvent> usage, Serializer<PricedUsage> ledger, String usageTopic, String ledgerTopic) {
        this.usage = usage;
        this.ledger = ledger;
        this.usageTopic = usageTopic;
        this.ledgerTopic = ledgerTopic;
    }

    /** The value bytes of {@code poison} for a run started at {@code runStart}. */
    public byte[] bytes(PlannedPoison poison, Instant runStart) {
        Instant at = runStart.plusMillis(poison.offsetMs());
        return switch (poison.kind()) {
            case RANDOM_BYTES -> randomBytes(poison.seed());
            case UNKNOWN_SCHEMA_ID -> unknownSchemaId(poison, event(poison, at, CampaignPrices.MINI, 1_000).build());
            case WRONG_RECORD_TYPE -> ledger.serialize(ledgerTopic, pricedUsage(poison, at));
            case BEFORE_1970 -> usage.serialize(usageTopic, event(poison, BEFORE_1970, CampaignPrices.MINI, 1_000).build());
            case COST_OVERFLOW -> usage.serialize(usageTopic, event(poison, at, CampaignPrices.OVERFLOW, 10_000_000).build());
            case KEY_MISMATCH -> usage.serialize(usageTopic, event(poison, at, CampaignPrices.MINI, 1_000).build());
            case NEGATIVE_TOKENS -> usage.serialize(usageTopic,
                    event(poison, at, CampaignPrices.MINI, 1_000).setOutputTokens(-5).build());
        };
    }

    private static byte[] randomBytes(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] bytes = new byte[16 + random.nextInt(185)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        // Never the wire format's magic byte: these are not Avro at all.
        bytes[0] = (byte) (1 + random.nextInt(255));
        return bytes;
    }

    private static byte[] unknownSchemaId(PlannedPoison poison, UsageEvent event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(WireFormat.header(UNKNOWN_SCHEMA_ID_BASE + poison.index()));
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<>(UsageEvent.class).write(event, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UsageEvent.Builder event(PlannedPoison poison, Instant eventTime, ModelPrice model, long inputTokens) {
        return UsageEvent.newBuilder()
                .setEventId(poison.eventId()).setEventTime(eventTime).setTenantId(poison.tenant()).setTaskId(poison.taskId())
                .setTaskClass("triage").setRoute("triage").setProvider(model.provider()).setModel(model.model())
                .setInputTokens(inputTokens).setOutputTokens(10).setStatus(CallStatus.OK)
                .setLabels(Map.of("poison", poison.kind().name()));
    }

    private static PricedUsage pricedUsage(PlannedPoison poison, Instant at) {
        return PricedUsage.newBuilder()
                .setEventId(poison.eventId()).setEventTime(at).setTenantId(poison.tenant()).setTaskId(poison.taskId())
                .setTaskClass("triage").setRoute("triage").setPromptVersion(null).setEndUserId(null)
                .setProvider(CampaignPrices.MINI.provider()).setModel(CampaignPrices.MINI.model())
                .setInputTokens(1_000).setOutputTokens(10).setCacheReadTokens(0).setCacheWriteTokens(0).setReasoningTokens(0)
                .setBatch(false).setAttempt(1).setStep(null).setToolName(null).setStatus(CallStatus.OK)
                .setResponseCacheHit(false).setCostNanos(25_306_622L).setInputCostNanos(25_000_000L)
                .setOutputCostNanos(306_622L).setCacheReadCostNanos(0).setCacheWriteCostNanos(0).setSavingsNanos(0)
                .setPriced(true).setPriceVersion(CampaignPrices.MINI.priceVersion()).setLongContext(false)
                .setProviderCostNanos(null).setLabels(Map.of("poison", poison.kind().name())).setPricedAt(at)
                .build();
    }
}
