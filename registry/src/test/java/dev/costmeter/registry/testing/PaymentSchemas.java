package dev.costmeter.registry.testing;

/** Avro schemas for tests: a payment record and its evolutions. */
public final class PaymentSchemas {

  /** Version 1: an id only. */
  public static final String PAYMENT_V1 =
      "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"test\","
          + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";

  /** Backward and forward compatible with V1: adds a field with a default. */
  public static final String PAYMENT_V2_WITH_DEFAULT =
      "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"test\","
          + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"amount\",\"type\":\"long\",\"default\":0}]}";

  /** Not backward compatible with V1: adds a field without a default. */
  public static final String PAYMENT_V2_WITHOUT_DEFAULT =
      "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"test\","
          + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"currency\",\"type\":\"string\"}]}";

  /** Not forward compatible with V2_WITH_DEFAULT: drops the field without a default. */
  public static final String PAYMENT_ID_AND_CURRENCY_DEFAULT =
      "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"test\","
          + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"currency\",\"type\":\"string\",\"default\":\"EUR\"}]}";

  /** An unrelated record. */
  public static final String REFUND =
      "{\"type\":\"record\",\"name\":\"Refund\",\"namespace\":\"test\","
          + "\"fields\":[{\"name\":\"paymentId\",\"type\":\"string\"}]}";

  private PaymentSchemas() {
  }
}
