package dev.costmeter.metering.correct;

/**
 * The id of a correction: the original event_id and the price version applied, so that issuing the
 * same correction again (a re-run of {@code costctl prices correct}, the automatic path and an
 * operator at once) yields the same id and is applied once.
 */
public final class CorrectionIds {

    /** Stands for "no price version": a correction that makes a call unpriced. */
    public static final String UNPRICED = "unpriced";

    private CorrectionIds() {
    }

    /** {@code event_id@price_version}, or {@code event_id@unpriced} when {@code priceVersion} is null. */
    public static String of(String eventId, String priceVersion) {
        return eventId + "@" + (priceVersion == null ? UNPRICED : priceVersion);
    }
}
