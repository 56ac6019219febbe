package dev.costmeter.metering;

import static dev.costmeter.metering.MeteringDriver.T0;
import static dev.costmeter.metering.MeteringDriver.call;
import static dev.costmeter.metering.MeteringDriver.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.PricedUsage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked example: 1,000 calls of 2,000 input and 500 output tokens on a model priced $2.50 /
 * $10.00 per million cost $10.000000000; moving 800 of them to a model priced $0.08 / $0.40 costs
 * $2.288000000; with 70% of that model's input tokens read from cache at $0.008 per million,
 * $2.207360000. Every call goes through the real topology and the ledger is summed.
 */
class PricingArithmeticTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldReproduceTheWorkedExampleToTheNano() throws IOException {
        assertThat(run(0, false)).isEqualTo(10_000_000_000L);
        assertThat(run(800, false)).isEqualTo(2_288_000_000L);
        assertThat(run(800, true)).isEqualTo(2_207_360_000L);
    }

    private long run(int onCheapModel, boolean cacheSeventyPercent) throws IOException {
        try (MeteringDriver metering = new MeteringDriver(MeteringSettings.defaults(), stateDir.resolve("run-" + onCheapModel + cacheSeventyPercent))) {
            metering.send(price("premium", T0.minus(Duration.ofDays(1)), 2_500_000_000L, 10_000_000_000L).build());
            metering.send(price("budget", T0.minus(Duration.ofDays(1)), 80_000_000L, 400_000_000L)
                    .setCacheReadNanosPerMtok(8_000_000L).build());
            for (int i = 0; i < 1_000; i++) {
                var event = call("e" + i, "task-" + (i % 50), T0.plusMillis(i)).setModel("premium");
                if (i < onCheapModel) {
                    event.setModel("budget");
                    if (cacheSeventyPercent) {
                        event.setInputTokens(600).setCacheReadTokens(1_400);
                    }
                }
                metering.send(event.build());
            }
            return metering.ledgerRows().stream().mapToLong(PricedUsage::getCostNanos).sum();
        }
    }
}
