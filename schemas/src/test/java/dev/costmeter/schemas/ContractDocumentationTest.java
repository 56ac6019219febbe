package dev.costmeter.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ContractDocumentationTest {

    static Stream<Contracts.Contract> contracts() {
        return Contracts.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("contracts")
    void shouldDocumentEveryRecordAndField(Contracts.Contract contract) {
        visit(contract.schema(), new HashSet<>(), (record, field) -> {
            assertThat(record.getDoc()).as("doc of record %s", record.getFullName()).isNotBlank();
            if (field != null) {
                assertThat(field.doc()).as("doc of %s.%s", record.getName(), field.name()).isNotBlank();
            }
        });
    }

    @ParameterizedTest
    @MethodSource("contracts")
    void shouldKeepMoneyAsIntegerNanosInSnakeCaseFields(Contracts.Contract contract) {
        visit(contract.schema(), new HashSet<>(), (record, field) -> {
            if (field == null) {
                return;
            }
            assertThat(field.name()).as("field name in %s", record.getName()).matches("[a-z][a-z0-9_]*");
            if (field.name().endsWith("_nanos") || field.name().contains("_nanos_")) {
                assertThat(nonNull(field.schema()).getType())
                        .as("money field %s.%s", record.getName(), field.name())
                        .isEqualTo(Schema.Type.LONG);
            }
            assertThat(nonNull(field.schema()).getType()).as("%s.%s", record.getName(), field.name())
                    .isNotIn(Schema.Type.FLOAT, Schema.Type.DOUBLE);
        });
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow();
    }

    private interface Visitor {
        void accept(Schema record, Schema.Field field);
    }

    private static void visit(Schema schema, Set<String> seen, Visitor visitor) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                visitor.accept(schema, null);
                for (Schema.Field field : schema.getFields()) {
                    visitor.accept(schema, field);
                    visit(field.schema(), seen, visitor);
                }
            }
            case UNION -> schema.getTypes().forEach(s -> visit(s, seen, visitor));
            case ARRAY -> visit(schema.getElementType(), seen, visitor);
            case MAP -> visit(schema.getValueType(), seen, visitor);
            default -> {
            }
        }
    }
}
