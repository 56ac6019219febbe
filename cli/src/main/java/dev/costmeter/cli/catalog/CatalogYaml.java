package dev.costmeter.cli.catalog;

import static com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.costmeter.cli.strictyaml.Scalar;
import java.util.List;
import java.util.Map;

/**
 * A price catalog as written, bound by Jackson before any value is checked (see {@link CatalogParser}
 * for the rules). Every mapping keeps the keys it does not know (null when none), to be reported with
 * the other problems.
 */
record CatalogYaml(
        Scalar asOf,
        List<Model> models,
        @JsonAnySetter @JsonProperty(access = READ_ONLY) Map<String, Object> unknownKeys) {

    record Model(
            Scalar provider,
            Scalar model,
            Scalar effectiveFrom,
            Scalar inputPerMtok,
            Scalar outputPerMtok,
            Scalar cacheReadPerMtok,
            Scalar cacheWritePerMtok,
            Scalar batchInputPerMtok,
            Scalar batchOutputPerMtok,
            LongContext longContext,
            Scalar source,
            @JsonProperty("cache_write_1h_per_mtok") Scalar cacheWrite1hPerMtok,
            Map<String, Scalar> requestFees,
            Scalar sourceDate,
            @JsonAnySetter @JsonProperty(access = READ_ONLY) Map<String, Object> unknownKeys) {
    }

    record LongContext(
            Scalar thresholdPromptTokens,
            Scalar inputPerMtok,
            Scalar outputPerMtok,
            Scalar cacheReadPerMtok,
            Scalar cacheWritePerMtok,
            @JsonProperty("cache_write_1h_per_mtok") Scalar cacheWrite1hPerMtok,
            Scalar withBatch,
            Scalar withServiceTier,
            @JsonAnySetter @JsonProperty(access = READ_ONLY) Map<String, Object> unknownKeys) {
    }
}
