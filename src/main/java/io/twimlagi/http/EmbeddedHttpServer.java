package io.twimlagi.http;

import io.twimlagi.metrics.Metrics;
import io.twimlagi.recording.RecordingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * The server's own HTTP endpoint ({@code http_bind}), on an {@link HttpListener}.
 * <ul>
 *   <li>{@code GET|HEAD /health}: {@code {"status":"ok","activeCalls":N}}, no authentication.</li>
 *   <li>{@code GET|HEAD /metrics} once {@link #serveMetrics}: Prometheus text.</li>
 *   <li>Recordings ({@link RecordingsRoute}), behind HTTP Basic auth (AccountSid, AuthToken).</li>
 *   <li>More routes by path pattern through {@link #route} (Twilio's REST API).</li>
 * </ul>
 * Asterisk's realtime lookups are not served here but on {@link RealtimeServer}.
 */
public final class EmbeddedHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedHttpServer.class);

    private final Routes routes = new Routes();
    private final HttpListener listener;
    private RecordingsRoute recordingsRoute;

    /** Only {@code /health}: every recording path answers 404. */
    public EmbeddedHttpServer(InetSocketAddress bind, IntSupplier activeCalls) throws IOException {
        this(bind, HttpLimits.DEFAULT, activeCalls, null, null, null);
    }

    /**
     * @param recordings the recordings served under {@code /Recordings/}; null serves none (404)
     * @param accountSid the Basic-auth user name (and the only AccountSid accepted in the REST-style path)
     * @param authToken  the Basic-auth password
     */
    public EmbeddedHttpServer(InetSocketAddress bind, IntSupplier activeCalls, RecordingStore recordings,
                              String accountSid, String authToken) throws IOException {
        this(bind, HttpLimits.DEFAULT, activeCalls, recordings, accountSid, authToken);
    }

    public EmbeddedHttpServer(InetSocketAddress bind, HttpLimits limits, IntSupplier activeCalls,
                              RecordingStore recordings, String accountSid, String authToken) throws IOException {
        Objects.requireNonNull(activeCalls, "activeCalls");
        routes.add("/health", new HealthRoute(activeCalls));
        routes.add("/realtime/*", realtimeMoved());
        if (recordings != null) {
            RecordingsRoute r = new RecordingsRoute(recordings, accountSid, new BasicAuth(accountSid, authToken));
            recordingsRoute = r;
            routes.add("/Recordings/*", r);
            routes.add("/2010-04-01/Accounts/{AccountSid}/Recordings/{file}", r);
        }
        listener = new HttpListener("http", bind, limits, routes);
    }

    public InetSocketAddress address() {
        return listener.address();
    }

    /** Adds {@code GET /metrics} (Prometheus text format). */
    public void serveMetrics(Metrics metrics) {
        routes.add("/metrics", new MetricsRoute(metrics));
    }

    /** Adds a route (see {@link Routes} for the patterns); it may be added while the server runs. */
    public void route(String pattern, Route route) {
        routes.add(pattern, route);
    }

    /**
     * Twilio's recording resources ({@code /2010-04-01/Accounts/{AccountSid}/Recordings/RE….json}) share their path
     * with the recordings' audio: such requests go to {@code json}.
     */
    public void recordingResources(Route json) {
        if (recordingsRoute != null) recordingsRoute.resources(json);
        else routes.add("/2010-04-01/Accounts/{AccountSid}/Recordings/{file}", json);
    }

    /** Connections open now. */
    public int openConnections() {
        return listener.openConnections();
    }

    /**
     * 404, as any unknown path; logged once, since it is most likely an Asterisk whose extconfig.conf still points
     * at {@code http_bind}.
     */
    private static Route realtimeMoved() {
        AtomicBoolean told = new AtomicBoolean();
        return x -> {
            if (told.compareAndSet(false, true)) {
                log.warn("a realtime lookup reached http_bind and got 404: Asterisk's realtime URLs go to realtime_bind"
                        + " with realtime_secret now (asterisk-conf/extconfig-twiml.conf)");
            }
            x.sendText(404, "not found\n");
        };
    }

    @Override
    public void close() {
        listener.close();
    }
}
