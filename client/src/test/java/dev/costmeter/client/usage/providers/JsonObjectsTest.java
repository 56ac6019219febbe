package dev.costmeter.client.usage.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonObjectsTest {

    @Test
    void shouldReadNumbersAsTheMappersExpectThem() {
        Map<String, Object> object = JsonObjects.parse("test",
                "{\"int\": 7, \"long\": 8589934592, \"big\": 123456789012345678901234567890, \"fraction\": 1.5}");

        assertThat(object.get("int")).isEqualTo(7);
        assertThat(object.get("long")).isEqualTo(8_589_934_592L);
        assertThat(object.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(object.get("fraction")).isEqualTo(1.5);
    }

    @Test
    void shouldKeepNestingKeyOrderNullsAndTheLastOfARepeatedKey() {
        Map<String, Object> object = JsonObjects.parse("test",
                "{\"b\": {\"x\": [1, \"two\", true, null]}, \"a\": null, \"c\": 1, \"c\": 2}");

        assertThat(object).containsKeys("b", "a", "c");
        assertThat(List.copyOf(object.keySet())).containsExactly("b", "a", "c");
        assertThat(object.get("b")).isEqualTo(Map.of("x", Arrays.asList(1, "two", true, null)));
        assertThat(object.get("a")).isNull();
        assertThat(object.get("c")).isEqualTo(2);
    }

    @Test
    void shouldRefuseWhatIsNotOneJsonObject() {
        assertThatThrownBy(() -> JsonObjects.parse("test", " ")).hasMessage("test: the usage JSON is empty");
        assertThatThrownBy(() -> JsonObjects.parse("test", "null")).hasMessage("test: the usage JSON is not an object");
        assertThatThrownBy(() -> JsonObjects.parse("test", "\"usage\"")).hasMessage("test: the usage JSON is not an object");
        assertThatThrownBy(() -> JsonObjects.parse("test", "{} []"))
                .hasMessage("test: trailing content after the usage JSON object");
        assertThatThrownBy(() -> JsonObjects.parse("test", "{\"a\": tru}"))
                .isInstanceOf(UsageShapeException.class).hasMessageStartingWith("test: the usage JSON is malformed: ");
    }
}
