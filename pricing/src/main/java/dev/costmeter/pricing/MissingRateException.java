package dev.costmeter.pricing;

/**
 * The price in force has no rate for something the call used (1-hour cache writes, a service tier,
 * a request kind, a long-context combination the provider does not sell). The call is then
 * ledgered unpriced with this message as its reason, never priced at some other rate: a guessed
 * rate is how under-billing goes unnoticed.
 */
public final class MissingRateException extends RuntimeException {

    public MissingRateException(String message) {
        super(message, null, false, false);
    }
}
