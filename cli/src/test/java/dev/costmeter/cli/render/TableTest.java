package dev.costmeter.cli.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.cli.render.Table.Align;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void shouldAlignColumnsUnderAHeaderAndARule() {
        String table = new Table()
                .column("MODEL", Align.LEFT)
                .column("COST", Align.RIGHT)
                .column("NOTE", Align.LEFT)
                .row("openai/gpt-4o", "$12.345678", "ok")
                .row("groq/llama-3.1-8b-instant", "$0.000001", null)
                .render();

        assertThat(table).isEqualTo("""
                MODEL                            COST  NOTE
                -------------------------  ----------  ----
                openai/gpt-4o              $12.345678  ok
                groq/llama-3.1-8b-instant   $0.000001  -
                """);
    }

    @Test
    void shouldRenderTheHeaderOfAnEmptyTable() {
        assertThat(new Table().column("A", Align.LEFT).render()).isEqualTo("A\n-\n");
    }

    @Test
    void shouldRefuseARowOfTheWrongWidth() {
        assertThatThrownBy(() -> new Table().column("A", Align.LEFT).row("x", "y"))
                .hasMessage("Expected 1 cells, got 2");
    }
}
