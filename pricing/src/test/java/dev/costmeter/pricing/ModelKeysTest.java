package dev.costmeter.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelKeysTest {

    @Test
    void shouldGiveThePriceKeyAndTheSameStringForTheSameProviderAndModel() {
        ModelKeys keys = new ModelKeys();

        String first = keys.of("openai", "gpt-4o");

        assertThat(first).isEqualTo(PriceCatalog.key("openai", "gpt-4o")).isEqualTo("openai/gpt-4o");
        assertThat(keys.of(new String("openai"), new String("gpt-4o"))).isSameAs(first);
        assertThat(keys.of("azure", "gpt-4o")).isEqualTo("azure/gpt-4o");
        assertThat(keys.of("openai", "gpt-4o-mini")).isEqualTo("openai/gpt-4o-mini");
    }

    @Test
    void shouldStayRightWhenItStartsOverAfterItsMostKeys() {
        ModelKeys keys = new ModelKeys();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < ModelKeys.MAX_KEYS * 2 + 7; i++) {
                assertThat(keys.of("p" + (i % 5), "m" + i)).isEqualTo("p" + (i % 5) + "/m" + i);
            }
        }
    }
}
