package io.twimlagi.webhook;

/**
 * A fatal webhook failure, carrying the Twilio error number the engine reports (ErrorCode to the fallback URL):
 * <ul>
 *   <li>{@link #INVALID_URL} 11100 - not an http(s) URL at all;</li>
 *   <li>{@link #HTTP_RETRIEVAL_FAILURE} 11200 - any HTTP status >= 400 (Twilio's fallback docs report 11200 for
 *       4xx/5xx; 11217 is not used), and other retrieval failures (a redirect without a usable Location,
 *       a protocol error that is not a network failure, an address {@link OutboundGuard} refuses: Twilio reports
 *       a private address so);</li>
 *   <li>{@link #CONNECTION_FAILURE} 11205 - any network failure: connection refused, connect timeout, read timeout,
 *       total-time budget exceeded, DNS failure, reset. (11202/11201/11203/11210 are not distinguished: Twilio's 11205
 *       page describes this whole class and the fallback behaviour is identical.)</li>
 *   <li>{@link #TOO_MANY_REDIRECTS} 11215 - more than 10 redirects;</li>
 *   <li>{@link #RESPONSE_TOO_LARGE} 11750 - body over 65536 bytes;</li>
 *   <li>{@link #INVALID_CONTENT_TYPE} 12300 - no (or empty) Content-Type.</li>
 * </ul>
 */
public class WebhookException extends Exception {
    public static final int INVALID_URL = 11100;
    public static final int HTTP_RETRIEVAL_FAILURE = 11200;
    public static final int CONNECTION_FAILURE = 11205;
    public static final int TOO_MANY_REDIRECTS = 11215;
    public static final int RESPONSE_TOO_LARGE = 11750;
    public static final int INVALID_CONTENT_TYPE = 12300;

    private final int errorCode;
    private final String url;
    private final int httpStatus;

    public WebhookException(int errorCode, String url, String message) {
        this(errorCode, url, 0, message, null);
    }

    public WebhookException(int errorCode, String url, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.url = url;
        this.httpStatus = httpStatus;
    }

    /** The Twilio error number (see the class comment). */
    public int errorCode() {
        return errorCode;
    }

    /** The URL that failed: the hop being fetched when the failure happened (without fragment). */
    public String url() {
        return url;
    }

    /** The HTTP status of the failing response, 0 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }
}
