package dev.costmeter.schemas.serde;

import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The check shared by the hand-written readers and writers ({@link PricedUsageWriter},
 * {@link UsageEventReader}): each spells out one contract's field order, so it may only be used for
 * exactly the schema it was written for.
 */
final class HandWrittenSchemas {

    private HandWrittenSchemas() {
    }

    /**
     * Whether {@code schema} is the record {@code fullName} with parsing fingerprint {@code fingerprint}
     * (which ignores logical types), whose only logical types are timestamp-millis on {@code timestampMillis}.
     */
    static boolean isExactly(Schema schema, String fullName, long fingerprint, Set<String> timestampMillis) {
        if (schema.getType() != Schema.Type.RECORD || !fullName.equals(schema.getFullName())
                || SchemaNormalization.parsingFingerprint64(schema) != fingerprint) {
            return false;
        }
        for (Schema.Field field : schema.getFields()) {
            Object logicalType = field.schema().getLogicalType();
            if (timestampMillis.contains(field.name()) ? !(logicalType instanceof LogicalTypes.TimestampMillis)
                    : logicalType != null) {
                return false;
            }
        }
        return true;
    }
}
