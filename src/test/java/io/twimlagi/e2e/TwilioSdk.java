package io.twimlagi.e2e;

import com.twilio.http.HttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import io.twimlagi.rest.LocalTwilioHttpClient;

import java.util.ArrayList;
import java.util.List;

/**
 * Twilio's own Java SDK pointed at the bench's http_bind (through the HttpClient hook Twilio documents), remembering
 * what the SDK does not show: the HTTP status of the last answer and the URL of every request.
 */
final class TwilioSdk {
    final TwilioRestClient client;
    private final List<String> urls = new ArrayList<>();
    private volatile int lastStatus;

    TwilioSdk(String token) {
        LocalTwilioHttpClient local = new LocalTwilioHttpClient("http://127.0.0.1:18089");
        client = new TwilioRestClient.Builder(Bench.ACCOUNT, token).httpClient(new HttpClient() {
            @Override
            public Response makeRequest(Request request) {
                synchronized (urls) {
                    urls.add(request.getMethod() + " " + request.constructURL());
                }
                Response r = local.makeRequest(request);
                lastStatus = r.getStatusCode();
                return r;
            }
        }).build();
    }

    int lastStatus() {
        return lastStatus;
    }

    /** The requests made so far ("GET https://api.twilio.com/..."), in order. */
    List<String> requests() {
        synchronized (urls) {
            return List.copyOf(urls);
        }
    }
}
