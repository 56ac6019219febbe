package dev.costmeter.pricing;

import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PriceVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Every known version of one model's price, answering which one was in force at an instant. */
public final class PriceBook {

    private final List<Rates> newestFirst;

    private PriceBook(List<Rates> newestFirst) {
        this.newestFirst = newestFirst;
    }

    /** The versions carried by a price record: its top-level rates and everything it superseded. */
    public static PriceBook of(PriceEntry entry) {
        List<Rates> versions = new ArrayList<>();
        versions.add(Rates.of(entry));
        for (PriceVersion version : entry.getSuperseded()) {
            versions.add(Rates.of(version));
        }
        versions.sort(Comparator.comparing(Rates::effectiveFrom).reversed());
        return new PriceBook(List.copyOf(versions));
    }

    /** The version whose effective_from is the latest at or before {@code eventTime}, if any. */
    public Optional<Rates> inForceAt(Instant eventTime) {
        for (Rates rates : newestFirst) {
            if (!rates.effectiveFrom().isAfter(eventTime)) {
                return Optional.of(rates);
            }
        }
        return Optional.empty();
    }
}
