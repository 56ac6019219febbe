package dev.costmeter.registry.auth;

/**
 * A user of the registry and what it may do.
 *
 * @param name the basic-auth user name
 * @param role {@link Role#READ} reads and looks up schemas; {@link Role#WRITE} also registers,
 *     deletes and changes compatibility
 */
public record RegistryUser(String name, Role role) {

  /** What a user may do. */
  public enum Role {
    READ, WRITE
  }
}
