package io.twimlagi.engine;

/** A document could not be had: {@code code} is Twilio's error number, sent as {@code ErrorCode} to the fallback. */
public final class FetchException extends Exception {
    private final int code;
    private final String url;

    public FetchException(int code, String url, String message) {
        super(message);
        this.code = code;
        this.url = url;
    }

    public int code() {
        return code;
    }

    public String url() {
        return url;
    }
}
