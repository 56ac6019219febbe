package dev.costmeter.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WorkShapeTest {

    @Test
    void shouldParseUniformAndZipfShapes() {
        assertThat(WorkShape.parse("100000")).isEqualTo(new WorkShape(100_000, WorkShape.Distribution.UNIFORM, 0));
        assertThat(WorkShape.parse("2_000_000:uniform").tasks()).isEqualTo(2_000_000);
        assertThat(WorkShape.parse("1000:zipf")).isEqualTo(new WorkShape(1_000, WorkShape.Distribution.ZIPF, 1.0));
        assertThat(WorkShape.parse("1000:zipf:0.8").exponent()).isEqualTo(0.8);
        assertThat(WorkShape.parse("1000:zipf:0.8").label()).isEqualTo("1000-zipf0.8");
    }

    @Test
    void shouldRefuseWhatIsNotAShape() {
        assertThatThrownBy(() -> WorkShape.parse("many")).hasMessageContaining("Not a work shape: 'many'");
        assertThatThrownBy(() -> WorkShape.parse("10:normal")).hasMessageContaining("Not a work shape");
        assertThatThrownBy(() -> WorkShape.parse("10:uniform:2")).hasMessageContaining("Not a work shape");
        assertThatThrownBy(() -> WorkShape.parse("0")).hasMessageContaining("at least one task");
        assertThatThrownBy(() -> WorkShape.parse("10:zipf:0")).hasMessageContaining("Zipf exponent");
    }

    @Test
    void shouldGiveTheFirstRanksOfAZipfShapeMostCallsAndKeepEveryTaskInRange() {
        WorkShape.TaskPicker picker = WorkShape.parse("1000:zipf:1.0").picker(7);
        int[] calls = new int[1000];
        for (int i = 0; i < 100_000; i++) {
            calls[picker.next()]++;
        }
        // Zipf with exponent 1 over 1,000 ranks: rank 1 has 1/H(1000) = 13.4% of the calls, rank 2 half
        // of that; the 500 lowest ranks together about 9%.
        assertThat(calls[0]).isBetween(12_400, 14_400);
        assertThat(calls[1]).isBetween(6_000, 7_400);
        assertThat(Arrays.stream(calls, 500, 1000).sum()).isBetween(8_000, 10_500);
    }

    @Test
    void shouldSpreadAUniformShapeEvenly() {
        WorkShape.TaskPicker picker = WorkShape.parse("10").picker(7);
        int[] calls = new int[10];
        for (int i = 0; i < 100_000; i++) {
            calls[picker.next()]++;
        }
        assertThat(Arrays.stream(calls).boxed()).allSatisfy(n -> assertThat(n).isBetween(9_500, 10_500));
    }
}
