package dev.costmeter.cli.status;

/**
 * One line of {@code costctl status}: a component, where it was asked, whether it is healthy and
 * what it said.
 */
public record Check(String component, String address, boolean healthy, String detail) {

    static Check ok(String component, String address, String detail) {
        return new Check(component, address, true, detail);
    }

    static Check unhealthy(String component, String address, String detail) {
        return new Check(component, address, false, detail);
    }
}
