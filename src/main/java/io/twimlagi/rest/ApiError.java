package io.twimlagi.rest;

/**
 * A REST request that cannot be served, as Twilio reports it: the HTTP status and Twilio's error code and
 * message, sent as {@code {"code", "message", "more_info", "status"}}.
 */
public final class ApiError extends RuntimeException {
    /** Twilio's "invalid parameter". */
    public static final int INVALID_PARAMETER = 20001;

    private final int status;
    private final int code;

    public ApiError(int status, int code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public int code() {
        return code;
    }

    /** 400 with Twilio's "invalid parameter" code. */
    public static ApiError badParameter(String message) {
        return new ApiError(400, INVALID_PARAMETER, message);
    }

    /** Twilio's 20404 for a resource that does not exist. */
    public static ApiError notFound(String path) {
        return new ApiError(404, 20404, "The requested resource " + path + " was not found");
    }
}
