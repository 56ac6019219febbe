package dev.costmeter.cli.catalog;

import java.time.LocalDate;
import java.util.List;

/**
 * A parsed, valid price catalog.
 *
 * @param asOf the date the prices were read from the providers' pages
 * @param entries in file order
 */
public record Catalog(LocalDate asOf, List<CatalogEntry> entries) {

    public Catalog {
        entries = List.copyOf(entries);
    }
}
