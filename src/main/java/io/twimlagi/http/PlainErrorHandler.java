package io.twimlagi.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to requests it rejects itself (malformed, ambiguous {@code %2F} paths, oversized headers): the
 * status line as plain text. Jetty's default page would echo the request's path, which may carry a secret.
 */
final class PlainErrorHandler implements Request.Handler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
        String text = status + " " + HttpStatus.getMessage(status) + "\n";
        Content.Sink.write(response, true, text, callback);
        return true;
    }
}
