package io.twimlagi.http;

/** Thrown by a {@link Route} to answer {@code status} with {@code message} as text (when nothing was sent yet). */
public final class HttpError extends RuntimeException {
    private final int status;

    public HttpError(int status, String message) {
        super(message);
        if (status < 400 || status > 599) throw new IllegalArgumentException("not an error status: " + status);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
