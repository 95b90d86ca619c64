package io.twimlagi.rest;

import com.twilio.http.HttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Twilio's SDK pointed at this server, through the hook Twilio documents (a custom {@link HttpClient}): the URL the
 * SDK builds for api.twilio.com is sent to {@code base} instead, with the SDK's method, auth and form body.
 */
public final class LocalTwilioHttpClient extends HttpClient {
    private final String base;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

    /** @param base e.g. {@code http://127.0.0.1:18089} */
    public LocalTwilioHttpClient(String base) {
        this.base = base;
    }

    @Override
    public Response makeRequest(Request request) {
        String url = request.constructURL().toString().replaceFirst("^https://[^/]+", base);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (request.getAuthString() != null) b.header("Authorization", request.getAuthString());
        switch (request.getMethod()) {
            case POST -> b.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(request.encodeFormBody()));
            case DELETE -> b.DELETE();
            default -> b.GET();
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.body(), r.statusCode());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
