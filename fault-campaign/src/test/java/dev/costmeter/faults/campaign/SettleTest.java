package dev.costmeter.faults.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SettleTest {

    private static final TopicPartition LEDGER_0 = new TopicPartition("llm.ledger.v1", 0);
    private static final TopicPartition LEDGER_1 = new TopicPartition("llm.ledger.v1", 1);

    @Test
    void shouldLookForPendingRecordsOnlyWhereASinkIsBehindTheEnd() {
        assertThat(Settle.behindOnly(Map.of(LEDGER_0, 3L, LEDGER_1, 0L), Map.of(LEDGER_0, 100L, LEDGER_1, 200L)))
                .containsExactly(Map.entry(LEDGER_0, 100L));
    }
}
