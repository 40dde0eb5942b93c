package dev.weft.worker.protocol;

import java.util.List;
import java.util.regex.Pattern;

/** The constants of the remote worker protocol: its version, path, close codes, error codes and bounds. */
public final class Protocol {

    /** The protocol version this library speaks. */
    public static final int VERSION = 1;
    public static final List<Integer> SUPPORTED_VERSIONS = List.of(VERSION);

    /** The endpoint of a queue's workers, {@code {queue}} matching {@link #QUEUE_NAME}. */
    public static final String PATH = "/api/v1/tasks/{queue}/stream";
    public static final Pattern QUEUE_NAME = Pattern.compile("[\\w-]{1,100}");

    /** Closes a socket whose registration was refused (after a {@code registerError}). */
    public static final int CLOSE_POLICY_VIOLATION = 1008;
    /** Closes a socket that broke the protocol (after a {@code protocolError}). */
    public static final int CLOSE_PROTOCOL_ERROR = 1002;

    public static final String INVALID_REGISTRATION = "invalid_registration";
    public static final String UNSUPPORTED_PROTOCOL_VERSION = "unsupported_protocol_version";
    public static final String INVALID_JSON = "invalid_json";
    public static final String INVALID_MESSAGE = "invalid_message";
    public static final String UNKNOWN_MESSAGE_TYPE = "unknown_message_type";
    public static final String REGISTRATION_REQUIRED = "registration_required";

    /** A worker's concurrency when it does not say; what it says is clamped to [1, {@value #MAX_CONCURRENCY}]. */
    public static final int DEFAULT_CONCURRENCY = 10;
    public static final int MAX_CONCURRENCY = 1000;
    /** The longest worker id, activity name, operation id and metadata string accepted. */
    public static final int MAX_NAME_LENGTH = 200;
    /** The most activities one worker registers. */
    public static final int MAX_ACTIVITIES = 1000;

    private Protocol() {
    }

    /** The endpoint of {@code queue}'s workers below a server's base URL. */
    public static String path(String queue) {
        return PATH.replace("{queue}", queue);
    }
}
