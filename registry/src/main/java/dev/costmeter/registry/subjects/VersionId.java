package dev.costmeter.registry.subjects;

/**
 * A version as written in a request path: a number from 1 to 2^31-1, or {@code latest} (also
 * spelled {@code -1}).
 */
public final class VersionId {

  private static final VersionId LATEST = new VersionId(-1);

  private final int number;

  private VersionId(int number) {
    this.number = number;
  }

  /**
   * Parses a path segment.
   *
   * @throws RegistryException 422 with error code 42202 when the text is not a valid version
   */
  public static VersionId parse(String text) {
    if ("latest".equals(text) || "-1".equals(text)) {
      return LATEST;
    }
    try {
      int number = Integer.parseInt(text);
      if (number >= 1) {
        return new VersionId(number);
      }
    } catch (NumberFormatException e) {
      // answered below like any other invalid version
    }
    throw RegistryException.invalidVersion(text);
  }

  public boolean isLatest() {
    return number == -1;
  }

  /** The version number; only meaningful when not {@link #isLatest()}. */
  public int number() {
    return number;
  }

  @Override
  public String toString() {
    return isLatest() ? "latest" : Integer.toString(number);
  }
}
