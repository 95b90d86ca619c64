package io.twimlagi.media;

/** Audio could not be produced or fetched; {@code code} is Twilio's error number (13xxx, 11200...). */
public final class MediaException extends Exception {
    private final int code;

    public MediaException(int code, String message) {
        super(message);
        this.code = code;
    }

    public MediaException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
