package dev.costmeter.registry.subjects;

import java.util.List;

/**
 * The answer to a compatibility test.
 *
 * @param compatible whether the schema could be registered as far as compatibility goes
 * @param messages why not, in Confluent's message style; empty when compatible
 */
public record CompatibilityCheck(boolean compatible, List<String> messages) {
  public CompatibilityCheck {
    messages = List.copyOf(messages);
  }
}
