package io.twimlagi.webhook;

import okhttp3.MediaType;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A successful (status below 400, Content-Type present, body at most 64 kB) response.
 *
 * @param finalUrl    the URL of the last hop exactly as requested on the wire, after redirects (for GET it includes
 *                    the appended parameters; never a fragment) - the base for relative TwiML URLs
 * @param status      the HTTP status of the last hop (2xx, or a 3xx that is not a followed redirect)
 * @param contentType the Content-Type header as sent, never null
 * @param body        the raw body (not copied: do not modify)
 * @param millis      wall time of the whole fetch, redirects and retries included
 */
public record WebhookResponse(String finalUrl, int status, String contentType, byte[] body, long millis) {

    /** The body decoded with the Content-Type's charset, UTF-8 when absent or unknown. */
    public String text() {
        MediaType type = MediaType.parse(contentType);
        Charset cs = type == null ? null : type.charset(null);
        return new String(body, cs == null ? StandardCharsets.UTF_8 : cs);
    }

    @Override
    public String toString() {
        return "WebhookResponse[finalUrl=" + finalUrl + ", status=" + status + ", contentType=" + contentType
                + ", body=" + body.length + " bytes, millis=" + millis + "]";
    }
}
