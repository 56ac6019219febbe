package dev.costmeter.schemas.validation;

/** A record that failed validation: why, and the detail an operator needs to fix the producer. */
public record Rejection(RejectReason reason, String detail) {
}
