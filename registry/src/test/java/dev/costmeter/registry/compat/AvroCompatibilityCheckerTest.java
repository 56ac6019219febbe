package dev.costmeter.registry.compat;

import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V1;
import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V2_WITHOUT_DEFAULT;
import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V2_WITH_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AvroCompatibilityCheckerTest {

  private final AvroCompatibilityChecker checker = new AvroCompatibilityChecker();

  @ParameterizedTest
  @EnumSource(CompatibilityLevel.class)
  void shouldFindAnIdenticalSchemaCompatibleAtEveryLevel(CompatibilityLevel level) {
    assertThat(checker.incompatibilities(parse(PAYMENT_V1), previous(PAYMENT_V1), level))
        .isEmpty();
  }

  @Test
  void shouldRejectANewFieldWithoutDefaultUnderBackward() {
    List<String> problems = checker.incompatibilities(
        parse(PAYMENT_V2_WITHOUT_DEFAULT), previous(PAYMENT_V1), CompatibilityLevel.BACKWARD);

    assertThat(problems).first().asString()
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("currency");
    assertThat(problems).contains("{oldSchemaVersion: 1}", "{compatibility: 'BACKWARD'}");
  }

  @Test
  void shouldAcceptANewFieldWithoutDefaultUnderForward() {
    assertThat(checker.incompatibilities(parse(PAYMENT_V2_WITHOUT_DEFAULT), previous(PAYMENT_V1),
        CompatibilityLevel.FORWARD)).isEmpty();
  }

  @Test
  void shouldAcceptANewFieldWithDefaultUnderFull() {
    assertThat(checker.incompatibilities(parse(PAYMENT_V2_WITH_DEFAULT), previous(PAYMENT_V1),
        CompatibilityLevel.FULL_TRANSITIVE)).isEmpty();
  }

  @Test
  void shouldAcceptAnythingUnderNone() {
    Schema unrelated = Schema.create(Schema.Type.STRING);

    assertThat(checker.incompatibilities(unrelated, previous(PAYMENT_V1),
        CompatibilityLevel.NONE)).isEmpty();
  }

  @Test
  void shouldAcceptAnythingWhenThereIsNoEarlierVersion() {
    assertThat(checker.incompatibilities(parse(PAYMENT_V1), List.of(),
        CompatibilityLevel.FULL_TRANSITIVE)).isEmpty();
  }

  @Test
  void shouldParseLevelNamesRegardlessOfCaseAndDefaultLocale() {
    Locale original = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));

      assertThat(CompatibilityLevel.parse("full_transitive"))
          .contains(CompatibilityLevel.FULL_TRANSITIVE);
      assertThat(CompatibilityLevel.parse("none")).contains(CompatibilityLevel.NONE);
    } finally {
      Locale.setDefault(original);
    }
    assertThat(CompatibilityLevel.parse("sideways")).isEmpty();
    assertThat(CompatibilityLevel.parse(null)).isEmpty();
  }

  private static List<PreviousSchema> previous(String schema) {
    return List.of(new PreviousSchema(1, parse(schema)));
  }

  private static Schema parse(String schema) {
    return new Schema.Parser().parse(schema);
  }
}
