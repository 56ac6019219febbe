package dev.costmeter.schemas.registry;

import org.apache.kafka.common.KafkaException;

/**
 * A registry answered with an error, or could not be reached. Carries the HTTP status and the
 * registry's {@code error_code} (e.g. 40401 subject not found, 40403 schema not found, 409 incompatible).
 */
public class SchemaRegistryException extends KafkaException {

    /** error_code of an unknown subject. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** error_code of an unknown version. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** error_code of an unknown schema or id. */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** error_code of a schema that breaks the subject's compatibility level. */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** error_code of an unparseable schema. */
    public static final int INVALID_SCHEMA = 42201;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(String message, int status, int errorCode) {
        super(message + " (HTTP " + status + ", error_code " + errorCode + ")");
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
        this.errorCode = -1;
    }

    /** HTTP status, or -1 when the registry could not be reached. */
    public int status() {
        return status;
    }

    /** The registry's error_code, or -1 when it gave none. */
    public int errorCode() {
        return errorCode;
    }

    /** True for a 404 from the registry. */
    public boolean isNotFound() {
        return status == 404;
    }
}
