package io.twimlagi.webhook;

import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.util.Redaction;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.ConnectionPool;
import okhttp3.Cookie;
import okhttp3.CookieJar;
import okhttp3.Dispatcher;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The only HTTP client of the TwiML app. One {@link OkHttpClient} (one connection pool with keep-alive, one
 * dispatcher) is shared by every call; per-request variations (connection-override timeouts, a session's cookie jar)
 * are {@code newBuilder()} views of it that share the pool. {@link #fetch} blocks the calling (AGI) thread.
 *
 * <p>Behaviour, after Twilio (twiml.md §1.2, §4, §5.2):
 * <ul>
 *   <li>POST sends the params form-encoded in their order ({@code application/x-www-form-urlencoded; charset=utf-8});
 *       GET appends them to the query string (keeping any existing query). Every hop carries
 *       {@code X-Twilio-Signature} computed over the URL as sent (OkHttp's canonical form of the URL, fragment
 *       removed) plus, for POST, the params; {@code User-Agent: TwilioProxy/1.1}, {@code Accept: *}{@code /*},
 *       {@code Cache-Control: max-age=259200} and an {@code I-Twilio-Idempotency-Token} that is the same for all
 *       attempts of one fetch.</li>
 *   <li>Redirects are followed here (OkHttp's are off), at most 10, the 11th is 11215. 301/302/303 continue as GET
 *       of the Location without re-sending the params; 307/308 keep method and (for POST) body. A GET never re-appends
 *       its params to a Location. Relative Locations resolve against the current URL; each hop is re-signed.</li>
 *   <li>Timeouts: connect = ct, read/write = rt, and one deadline tt for the whole fetch (redirects, retries and
 *       body included), enforced with OkHttp's call timeout. Defaults: ct = connectTimeout, rt = tt = totalTimeout,
 *       one retry (rc=1) on connect failure only (rp=ct) - Twilio's "two 5-second attempts". A URL fragment
 *       overrides them (see {@link ConnectionOverrides}); retries only start while budget remains.</li>
 *   <li>Status >= 400 is 11200, missing Content-Type 12300, body over 65536 bytes 11750 (read with a hard cap),
 *       any network failure 11205, a connection the {@link OutboundGuard} refuses (our own listeners, link-local
 *       addresses; on any hop) 11200 without retry. Other types/3xx are returned as they are: the engine decides.</li>
 *   <li>A URL's {@code user:password@} is Basic auth as Twilio sends it ({@link BasicAuth}): without credentials
 *       first, with them after a Basic challenge, at once later. The signature covers the URL as written.</li>
 * </ul>
 * Sockets: {@link QuickAckSocketFactory} (TCP_NODELAY, quick ACKs), so apps that leave Nagle on cost no 40 ms.
 * Cookies: {@link #fetch} uses none; a {@link Session} (one per call) keeps and replays cookies like a browser.
 * The auth token, signatures and URL passwords are never logged; one debug line is logged per fetch.
 */
public final class WebhookClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookClient.class);

    public static final int MAX_BODY_BYTES = 65536;
    public static final int MAX_REDIRECTS = 10;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(15);
    static final String USER_AGENT = "TwilioProxy/1.1";
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded; charset=utf-8");

    private final String authToken;
    private final BasicAuth basicAuth = new BasicAuth();
    private final OkHttpClient client;
    private final ConnectionOverrides defaults;

    /** Refusing link-local addresses only (tests and tools; the server passes its own listeners). */
    public WebhookClient(String authToken, Duration connectTimeout, Duration totalTimeout) {
        this(authToken, connectTimeout, totalTimeout, OutboundGuard.linkLocalOnly());
    }

    /** @param guard where requests may not connect: our own listeners, link-local addresses (every hop) */
    public WebhookClient(String authToken, Duration connectTimeout, Duration totalTimeout, OutboundGuard guard) {
        this.authToken = Objects.requireNonNull(authToken, "authToken");
        Duration connect = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        Duration total = totalTimeout == null ? DEFAULT_TOTAL_TIMEOUT : totalTimeout;
        this.defaults = ConnectionOverrides.defaults((int) connect.toMillis(), (int) total.toMillis());
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(4096);
        dispatcher.setMaxRequestsPerHost(4096);
        this.client = guard.applyTo(new OkHttpClient.Builder()) // checked, and no delayed-ACK stalls (Nagle)
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(256, 5, TimeUnit.MINUTES))
                .followRedirects(false)
                .followSslRedirects(false)
                .cookieJar(CookieJar.NO_COOKIES)
                .connectTimeout(connect)
                .readTimeout(total)
                .writeTimeout(total)
                .callTimeout(total)
                .eventListener(ConnectTracker.INSTANCE)
                .build();
    }

    /** A session-less fetch: no cookies are kept or sent. */
    public WebhookResponse fetch(WebhookRequest request) throws WebhookException {
        return execute(client, request);
    }

    /** A per-call view whose cookies persist across its fetches only; it shares this client's pool. */
    public Session newSession() {
        return new Session();
    }

    /** Cancels in-flight calls and closes idle pooled connections. */
    @Override
    public void close() {
        client.dispatcher().cancelAll();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    /** Fetches with a per-call cookie store (Twilio replays cookies within a call like a browser). Thread-safe. */
    public final class Session {
        private final MemoryCookieJar jar = new MemoryCookieJar();
        private final OkHttpClient sessionClient = client.newBuilder().cookieJar(jar).build();
        private volatile Call inFlight;
        private volatile boolean cancelled;

        private Session() {
        }

        public WebhookResponse fetch(WebhookRequest request) throws WebhookException {
            return execute(sessionClient, request, this);
        }

        /**
         * Fetches with the call's cookies, but not stopped by {@link #cancel}: a request Twilio still makes after the
         * caller hung up (an action after a hangup), which a late report of that same hangup must not abandon.
         */
        public WebhookResponse fetchToTheEnd(WebhookRequest request) throws WebhookException {
            return execute(sessionClient, request, null);
        }

        /** Stops the request in flight and refuses later ones: the call is over (its caller hung up). */
        public void cancel() {
            cancelled = true;
            Call c = inFlight;
            if (c != null) c.cancel();
        }

        /** The number of cookies currently held (for diagnostics and tests). */
        public int cookieCount() {
            return jar.size();
        }
    }

    // ------------------------------------------------------------------------------------------------ core

    private WebhookResponse execute(OkHttpClient base, WebhookRequest request) throws WebhookException {
        return execute(base, request, null);
    }

    /** {@code session} (null: none) can cancel the request in flight. */
    private WebhookResponse execute(OkHttpClient base, WebhookRequest request, Session session)
            throws WebhookException {
        long start = System.nanoTime();
        HttpUrl parsed = HttpUrl.parse(request.url().trim());
        if (parsed == null) {
            throw new WebhookException(WebhookException.INVALID_URL, redact(request.url()),
                    "not an http(s) URL: " + redact(request.url()));
        }
        ConnectionOverrides o = ConnectionOverrides.parse(parsed.fragment(), defaults);
        OkHttpClient c = base;
        if (o.connectMs() != defaults.connectMs() || o.readMs() != defaults.readMs()) {
            c = base.newBuilder()
                    .connectTimeout(Duration.ofMillis(o.connectMs()))
                    .readTimeout(Duration.ofMillis(o.readMs()))
                    .writeTimeout(Duration.ofMillis(o.readMs()))
                    .build();
        }
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(o.totalMs());
        String idempotency = UUID.randomUUID().toString();

        HttpUrl url = parsed.newBuilder().fragment(null).build();
        HttpMethod method = request.method();
        Map<String, String> params = request.params();
        boolean sendParams = true;
        int redirects = 0;
        int retries = 0;
        boolean authenticate = false;
        while (true) {
            HttpUrl wire = url;
            if (method == HttpMethod.GET && sendParams && !params.isEmpty()) {
                HttpUrl.Builder b = url.newBuilder();
                params.forEach(b::addQueryParameter);
                wire = b.build();
            }
            Map<String, String> bodyParams = method == HttpMethod.POST && sendParams ? params : Map.of();
            String wireUrl = wire.toString();
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remaining <= 0) {
                throw fail(WebhookException.CONNECTION_FAILURE, wireUrl, 0,
                        "total time of " + o.totalMs() + " ms exceeded", null, request, start);
            }
            Attempt attempt = new Attempt();
            Request.Builder rb = new Request.Builder()
                    .url(wire)
                    .header("X-Twilio-Signature", RequestSigner.sign(authToken, wireUrl, method, bodyParams))
                    .header("User-Agent", USER_AGENT)
                    .header("Accept", "*/*")
                    .header("Cache-Control", "max-age=259200")
                    .header("I-Twilio-Idempotency-Token", idempotency)
                    .tag(Attempt.class, attempt);
            if (method == HttpMethod.POST) rb.post(RequestBody.create(formBody(bodyParams), FORM));
            else rb.get();
            boolean withCredentials = BasicAuth.hasCredentials(wire) && (authenticate || basicAuth.accepted(wire));
            if (withCredentials) rb.header("Authorization", BasicAuth.header(wire));
            Call call = c.newCall(rb.build());
            call.timeout().timeout(remaining, TimeUnit.MILLISECONDS);
            if (session != null) {
                if (session.cancelled) {
                    throw fail(WebhookException.CONNECTION_FAILURE, wireUrl, 0, "cancelled: the call is over", null,
                            request, start);
                }
                session.inFlight = call;
            }

            try (Response response = call.execute()) {
                int code = response.code();
                if (code == 401 && !withCredentials && BasicAuth.hasCredentials(wire)
                        && BasicAuth.challenged(response)) {
                    // Twilio's way: the first request goes without credentials, the challenge gets them
                    authenticate = true;
                    continue;
                }
                authenticate = false;
                if (withCredentials && code != 401) basicAuth.remember(wire);
                if (code == 301 || code == 302 || code == 303 || code == 307 || code == 308) {
                    String location = response.header("Location");
                    HttpUrl next = location == null ? null : wire.resolve(location.trim());
                    if (next == null) {
                        throw fail(WebhookException.HTTP_RETRIEVAL_FAILURE, wireUrl, code, "HTTP " + code
                                + " redirect with " + (location == null ? "no Location" : "an unusable Location '"
                                + redact(location) + "'"), null, request, start);
                    }
                    if (redirects == MAX_REDIRECTS) {
                        throw fail(WebhookException.TOO_MANY_REDIRECTS, wireUrl, code,
                                "more than " + MAX_REDIRECTS + " redirects", null, request, start);
                    }
                    redirects++;
                    if (code != 307 && code != 308) method = HttpMethod.GET;
                    if (code != 307 && code != 308 || method == HttpMethod.GET) sendParams = false;
                    url = next.newBuilder().fragment(null).build();
                    continue;
                }
                if (code >= 400) {
                    ConnectionOverrides.RetryOn kind = code < 500
                            ? ConnectionOverrides.RetryOn.HTTP_4XX : ConnectionOverrides.RetryOn.HTTP_5XX;
                    if (canRetry(o, kind, retries, deadline)) {
                        retries++;
                        continue;
                    }
                    throw fail(WebhookException.HTTP_RETRIEVAL_FAILURE, wireUrl, code,
                            "HTTP " + code + " from " + redact(wireUrl), null, request, start);
                }
                String contentType = response.header("Content-Type");
                if (contentType == null || contentType.isBlank()) {
                    throw fail(WebhookException.INVALID_CONTENT_TYPE, wireUrl, code,
                            "response (HTTP " + code + ") has no Content-Type", null, request, start);
                }
                byte[] body = readCapped(response.body(), wireUrl, code, request, start);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (log.isDebugEnabled()) {
                    log.debug("webhook {} {} -> {} {} ({} bytes, {} ms, {} redirects, {} retries)",
                            request.method(), redact(request.url()), code, contentType, body.length, millis,
                            redirects, retries);
                }
                return new WebhookResponse(wireUrl, code, contentType, body, millis);
            } catch (IOException e) {
                Optional<OutboundGuard.RefusedAddressException> refused = OutboundGuard.refusalIn(e);
                if (refused.isPresent()) {  // as Twilio answers a private address: a retrieval failure, no retry
                    throw fail(WebhookException.HTTP_RETRIEVAL_FAILURE, wireUrl, 0,
                            refused.get().getMessage(), e, request, start);
                }
                boolean budgetGone = System.nanoTime() - deadline >= 0
                        || (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)
                        && !Thread.currentThread().isInterrupted());   // OkHttp's call timeout fired
                ConnectionOverrides.RetryOn kind = attempt.connected
                        ? ConnectionOverrides.RetryOn.READ : ConnectionOverrides.RetryOn.CONNECT;
                if (!budgetGone && !Thread.currentThread().isInterrupted() && canRetry(o, kind, retries, deadline)) {
                    retries++;
                    continue;
                }
                String what = budgetGone ? "no response within " + o.totalMs() + " ms"
                        : (kind == ConnectionOverrides.RetryOn.CONNECT ? "cannot connect: " : "network failure: ") + e;
                throw fail(WebhookException.CONNECTION_FAILURE, wireUrl, 0,
                        what + (retries > 0 ? " (after " + retries + " retries)" : ""), e, request, start);
            }
        }
    }

    private static boolean canRetry(ConnectionOverrides o, ConnectionOverrides.RetryOn kind, int done, long deadline) {
        return done < o.retries() && o.retryOn().contains(kind) && System.nanoTime() - deadline < 0;
    }

    private byte[] readCapped(ResponseBody body, String url, int code, WebhookRequest request, long start)
            throws IOException, WebhookException {
        if (body.contentLength() > MAX_BODY_BYTES) {
            throw fail(WebhookException.RESPONSE_TOO_LARGE, url, code, "response body of " + body.contentLength()
                    + " bytes exceeds " + MAX_BODY_BYTES, null, request, start);
        }
        BufferedSource source = body.source();
        Buffer buffer = new Buffer();
        while (buffer.size() <= MAX_BODY_BYTES) {
            if (source.read(buffer, 8192) == -1) break;
        }
        if (buffer.size() > MAX_BODY_BYTES) {
            throw fail(WebhookException.RESPONSE_TOO_LARGE, url, code,
                    "response body exceeds " + MAX_BODY_BYTES + " bytes", null, request, start);
        }
        return buffer.readByteArray();
    }

    private static WebhookException fail(int errorCode, String url, int status, String message, Throwable cause,
                                         WebhookRequest request, long start) {
        if (log.isDebugEnabled()) {
            log.debug("webhook {} {} failed after {} ms: {} {}", request.method(), redact(request.url()),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), errorCode, message);
        }
        return new WebhookException(errorCode, url, status, message, cause);
    }

    /** The URL with its password replaced by {@code ***} (a password in a URL must not reach the log). */
    static String redact(String url) {
        return Redaction.redact(url);
    }

    static byte[] formBody(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (sb.length() > 0) sb.append('&');
            sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Per-attempt state, attached to the Request as a tag. */
    private static final class Attempt {
        volatile boolean connected;
    }

    /** Marks an attempt as connected once it holds a connection: failures before that are connect failures (ct). */
    private static final class ConnectTracker extends EventListener {
        static final ConnectTracker INSTANCE = new ConnectTracker();

        @Override
        public void connectionAcquired(Call call, Connection connection) {
            Attempt a = call.request().tag(Attempt.class);
            if (a != null) a.connected = true;
        }
    }

    /**
     * A browser-like in-memory cookie store for one call, bounded as browsers bound theirs (RFC 6265 §6.1): at most
     * {@value #MAX_PER_DOMAIN} per domain and {@value #MAX_COOKIES} in all (the oldest go first), each at most
     * {@value #MAX_COOKIE_BYTES} bytes (a larger one is ignored). An app cannot grow the server's memory, or the
     * Cookie header it sends back, without bound.
     */
    static final class MemoryCookieJar implements CookieJar {
        static final int MAX_PER_DOMAIN = 50;
        static final int MAX_COOKIES = 150;
        static final int MAX_COOKIE_BYTES = 4096;
        private final List<Cookie> cookies = new ArrayList<>(); // oldest first

        @Override
        public synchronized void saveFromResponse(HttpUrl url, List<Cookie> received) {
            long now = System.currentTimeMillis();
            for (Cookie c : received) {
                if (c.name().length() + c.value().length() > MAX_COOKIE_BYTES) continue;
                cookies.removeIf(old -> old.name().equals(c.name()) && old.domain().equals(c.domain())
                        && old.path().equals(c.path()) && old.hostOnly() == c.hostOnly());
                if (c.expiresAt() <= now) continue;
                cookies.add(c);
                if (cookies.stream().filter(o -> o.domain().equals(c.domain())).count() > MAX_PER_DOMAIN) {
                    for (Iterator<Cookie> it = cookies.iterator(); it.hasNext(); ) {
                        if (it.next().domain().equals(c.domain())) {
                            it.remove();
                            break;
                        }
                    }
                }
                if (cookies.size() > MAX_COOKIES) cookies.remove(0);
            }
        }

        @Override
        public synchronized List<Cookie> loadForRequest(HttpUrl url) {
            long now = System.currentTimeMillis();
            List<Cookie> out = new ArrayList<>();
            for (Iterator<Cookie> it = cookies.iterator(); it.hasNext(); ) {
                Cookie c = it.next();
                if (c.expiresAt() <= now) it.remove();
                else if (c.matches(url)) out.add(c);
            }
            return out;
        }

        synchronized int size() {
            return cookies.size();
        }
    }
}
