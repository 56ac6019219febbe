package dev.costmeter.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void shouldWriteMagicByteThenBigEndianSchemaId() {
        assertThat(WireFormat.header(0x01020304)).containsExactly(0x00, 0x01, 0x02, 0x03, 0x04);
    }

    @Test
    void shouldReadTheSchemaIdBack() {
        byte[] payload = {0, 0, 0, 1, 0x2c, 42};
        assertThat(WireFormat.schemaId(payload)).isEqualTo(300);
    }

    @Test
    void shouldRejectAnUnknownMagicByte() {
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {1, 0, 0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Unknown magic byte 1; expected 0");
    }

    @Test
    void shouldRejectAPayloadShorterThanTheHeader() {
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Not in the Confluent wire format: 3 bytes, need at least 5");
    }
}
