package dev.costmeter.connect.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SchemaMigratorTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.freshDatabase();

    @Test
    void shouldApplyEachMigrationOnceWhenFourTasksStartTogether() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Callable<Integer>> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            starts.add(() -> {
                try (Connection c = POSTGRES.connection()) {
                    return new SchemaMigrator("concurrent").migrate(c);
                }
            });
        }
        int applied = 0;
        for (Future<Integer> result : pool.invokeAll(starts)) {
            applied += result.get();
        }
        pool.shutdown();
        assertThat(applied).isEqualTo(SchemaMigrator.SCRIPTS.size());
        try (Connection c = POSTGRES.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), max(version) FROM concurrent.schema_migrations")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(SchemaMigrator.SCRIPTS.size());
            assertThat(rs.getInt(2)).isEqualTo(SchemaMigrator.latestVersion());
        }
    }

    @Test
    void shouldRefuseToRunOverAMigrationWhoseTextChanged() throws Exception {
        try (Connection c = POSTGRES.connection()) {
            new SchemaMigrator("tampered").migrate(c);
            try (Statement s = c.createStatement()) {
                s.execute("UPDATE tampered.schema_migrations SET checksum = 'abc' WHERE version = 1");
            }
            assertThatThrownBy(() -> new SchemaMigrator("tampered").migrate(c))
                    .isInstanceOf(ConnectException.class)
                    .hasMessageStartingWith("Migration V1__ledger_rollups_outcomes.sql was applied to schema tampered "
                            + "with another text (checksum abc, now ")
                    .hasMessageEndingWith("); applied migrations must never change");
        }
    }
}
