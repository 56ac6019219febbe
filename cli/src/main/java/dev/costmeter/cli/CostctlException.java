package dev.costmeter.cli;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.List;

/**
 * A failure costctl reports to the operator and turns into its exit code: {@value ExitCodes#FAILED}
 * when the operation failed, {@value ExitCodes#UNREACHABLE} when a service could not be reached.
 */
public final class CostctlException extends RuntimeException {

    private final int exitCode;
    private final List<String> details;

    private CostctlException(int exitCode, String message, List<String> details, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.details = List.copyOf(details);
    }

    /** The operation failed (exit 1). */
    public static CostctlException failed(String message) {
        return new CostctlException(ExitCodes.FAILED, message, List.of(), null);
    }

    /** The operation failed (exit 1), with one further line per detail. */
    public static CostctlException failed(String message, List<String> details) {
        return new CostctlException(ExitCodes.FAILED, message, details, null);
    }

    /** The operation failed (exit 1) because of {@code cause}. */
    public static CostctlException failed(String message, Throwable cause) {
        return new CostctlException(ExitCodes.FAILED, message, List.of(), cause);
    }

    /**
     * {@code service} could not be reached at {@code address} (exit 3), e.g.
     * {@code metering-stream is not reachable at http://localhost:8090 (connection refused)}.
     */
    public static CostctlException unreachable(String service, String address, Throwable cause) {
        return new CostctlException(ExitCodes.UNREACHABLE,
                service + " is not reachable at " + address + " (" + reason(cause) + ")", List.of(), cause);
    }

    /** {@code service} could not be reached at {@code address} (exit 3), for the reason given. */
    public static CostctlException unreachable(String service, String address, String reason, Throwable cause) {
        return new CostctlException(ExitCodes.UNREACHABLE,
                service + " is not reachable at " + address + " (" + reason + ")", List.of(), cause);
    }

    public int exitCode() {
        return exitCode;
    }

    /** Further lines to print under the message, e.g. one per invalid catalog field. */
    public List<String> details() {
        return details;
    }

    /** A short reason for a connection failure, such as {@code connection refused}. */
    public static String reason(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && !(t instanceof HttpConnectTimeoutException)) {
                return "connection refused";
            }
            if (t instanceof HttpConnectTimeoutException) {
                return "connect timed out";
            }
            if (t instanceof HttpTimeoutException) {
                return "request timed out";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host";
            }
        }
        if (cause == null) {
            return "no answer";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
