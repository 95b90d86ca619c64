package io.twimlagi.e2e;

import com.twilio.security.RequestValidator;
import io.twimlagi.sip.SipUri;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TwiML app on loopback for the end-to-end tests: answers each path with the response registered for the
 * dialed user (the To parameter's user part), so every test owns its own number. Records every request with its
 * parameters and checks its X-Twilio-Signature with Twilio's own validator.
 */
final class WebhookApp implements AutoCloseable {
    record Hit(String method, String path, String url, Map<String, String> params, boolean signatureValid,
               long atMillis) {
    }

    private final MockWebServer server = new MockWebServer();
    private final RequestValidator validator;
    private final Map<String, MockResponse> routes = new ConcurrentHashMap<>();
    private final List<Hit> hits = new ArrayList<>();

    WebhookApp(String authToken) throws IOException {
        validator = new RequestValidator(authToken);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return handle(request);
            }
        });
        server.start();
    }

    String url(String path) {
        return server.url(path).toString();
    }

    static MockResponse twiml(String xml) {
        return new MockResponse().setResponseCode(200).addHeader("Content-Type", "text/xml").setBody(xml);
    }

    /** Serves {@code xml} at {@code path} for calls to {@code user}. */
    void on(String user, String path, String xml) {
        on(user, path, twiml(xml));
    }

    void on(String user, String path, MockResponse response) {
        routes.put(user + " " + path, response);
    }

    /** Serves this response at {@code path} whoever asks (media files). */
    void always(String path, MockResponse response) {
        routes.put("* " + path, response);
    }

    private MockResponse handle(RecordedRequest r) {
        String path = r.getRequestUrl().encodedPath();
        Map<String, String> params = new LinkedHashMap<>();
        String query = r.getRequestUrl().encodedQuery();
        String url = r.getRequestUrl().toString();
        boolean valid;
        if ("POST".equals(r.getMethod())) {
            parseForm(r.getBody().readUtf8(), params);
            valid = validator.validate(url, params, r.getHeader("X-Twilio-Signature"));
        } else {
            if (query != null) parseForm(query, params);
            valid = validator.validate(url, Map.of(), r.getHeader("X-Twilio-Signature"));
        }
        String user = SipUri.userOf(params.getOrDefault("To", ""));
        synchronized (hits) {
            hits.add(new Hit(r.getMethod(), path, url, params, valid, System.currentTimeMillis()));
            hits.notifyAll();
        }
        MockResponse response = routes.get(user + " " + path);
        if (response == null) response = routes.get("* " + path);
        return response != null ? response : new MockResponse().setResponseCode(404);
    }

    private static void parseForm(String form, Map<String, String> into) {
        if (form.isEmpty()) return;
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            into.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
    }

    /** Every request to this path, whoever made it. */
    List<Hit> pathHits(String path) {
        synchronized (hits) {
            return hits.stream().filter(h -> h.path().equals(path)).toList();
        }
    }

    /** Where the bench's domain sends its status callbacks. */
    static final String STATUS_PATH = "/status";

    /** The TwiML requests made for calls to {@code user} (by the To parameter), in arrival order. */
    List<Hit> hits(String user) {
        synchronized (hits) {
            return hits.stream().filter(h -> user.equals(SipUri.userOf(h.params().getOrDefault("To", ""))))
                    .filter(h -> !h.path().equals(STATUS_PATH)).toList();
        }
    }

    /** The status callbacks for calls to {@code user}, in arrival order. */
    List<Hit> statusHits(String user) {
        synchronized (hits) {
            return hits.stream().filter(h -> user.equals(SipUri.userOf(h.params().getOrDefault("To", ""))))
                    .filter(h -> h.path().equals(STATUS_PATH)).toList();
        }
    }

    /** Waits until {@code n} status callbacks for {@code user} arrived. */
    List<Hit> awaitStatusHits(String user, int n, Duration max) throws InterruptedException {
        return await(() -> statusHits(user), n, max);
    }

    /** Waits until a request for {@code path} with this parameter value arrived (callbacks carry no To). */
    Hit awaitHit(String path, String param, String value, Duration max) throws InterruptedException {
        long deadline = System.currentTimeMillis() + max.toMillis();
        synchronized (hits) {
            while (true) {
                for (Hit h : hits) {
                    if (h.path().equals(path) && value.equals(h.params().get(param))) return h;
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) return null;
                hits.wait(left);
            }
        }
    }

    /** Waits until {@code n} requests to {@code path} arrived, whoever made them; returns them. */
    List<Hit> awaitPathHits(String path, int n, Duration max) throws InterruptedException {
        return await(() -> pathHits(path), n, max);
    }

    /** Waits until {@code n} requests for {@code user} arrived; returns them. */
    List<Hit> awaitHits(String user, int n, Duration max) throws InterruptedException {
        return await(() -> hits(user), n, max);
    }

    private List<Hit> await(java.util.function.Supplier<List<Hit>> which, int n, Duration max)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + max.toMillis();
        synchronized (hits) {
            while (which.get().size() < n) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) break;
                hits.wait(left);
            }
            return which.get();
        }
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
