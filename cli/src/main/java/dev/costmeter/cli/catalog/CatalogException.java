package dev.costmeter.cli.catalog;

import java.util.List;

/** A catalog that cannot be applied, with every problem found, each naming the entry and field. */
public final class CatalogException extends Exception {

    private final List<String> errors;

    public CatalogException(List<String> errors) {
        super(String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    /** One line per problem, e.g. {@code models[2]: missing required field 'output_per_mtok'}. */
    public List<String> errors() {
        return errors;
    }
}
