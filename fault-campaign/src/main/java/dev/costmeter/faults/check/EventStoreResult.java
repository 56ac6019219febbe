package dev.costmeter.faults.check;

import java.util.Map;
import java.util.Set;

/**
 * How one store of ledger rows (the ledger topic, the PostgreSQL table) compares with the oracle, call
 * by call.
 *
 * @param missing    accepted calls with no row: lost charges
 * @param duplicated calls with more than one row, and how many
 * @param wrong      calls whose row differs, with the differing fields
 * @param wrongMoney of {@code wrong}, those charged a wrong amount
 * @param unexpected rows for no accepted call (a bad record charged, or a row of another run), and how many
 */
public record EventStoreResult(String store, long rowsRead, Set<String> missing, Map<String, Integer> duplicated,
        Map<String, String> wrong, Set<String> wrongMoney, Map<String, Integer> unexpected) {

    public boolean ok() {
        return missing.isEmpty() && duplicated.isEmpty() && wrong.isEmpty() && unexpected.isEmpty();
    }
}
