package io.twimlagi.http;

import io.twimlagi.config.Realtime;
import io.twimlagi.media.HoldMusicClasses;
import io.twimlagi.sip.CredentialEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Asterisk's realtime lookups on their own loopback listener ({@code realtime_bind}), apart from {@code http_bind}:
 * only {@code /realtime/<realtime_secret>/...} (see {@link RealtimeRoute}); everything else is 404.
 */
public final class RealtimeServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RealtimeServer.class);
    /** Asterisk asks a handful of questions at a time. */
    static final HttpLimits LIMITS = new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(10), 16 * 1024, 200, Duration.ofSeconds(1), 16 * 1024, 8);

    private final HttpListener listener;

    public RealtimeServer(Realtime config, HoldMusicClasses classes, CredentialEndpoints sip) throws IOException {
        this(config, LIMITS, classes, sip);
    }

    RealtimeServer(Realtime config, HttpLimits limits, HoldMusicClasses classes, CredentialEndpoints sip)
            throws IOException {
        if (!config.bind().getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("realtime_bind must be a loopback address: " + config.bind());
        }
        Routes routes = new Routes().add("/realtime/*", new RealtimeRoute(config.secret(), classes, sip));
        listener = new HttpListener("realtime", config.bind(), limits, routes);
    }

    /** Started when configured; else null, with a warning saying what does not work without it. */
    public static RealtimeServer startIfConfigured(Realtime config, HoldMusicClasses classes, CredentialEndpoints sip)
            throws IOException {
        if (config == null) {
            log.warn("realtime lookups off (no realtime_secret): <Conference waitUrl> plays Asterisk's default hold"
                    + " music and <Sip username password> legs fail; see asterisk-conf/extconfig-twiml.conf");
            return null;
        }
        RealtimeServer server = new RealtimeServer(config, classes, sip);
        log.info("realtime lookups for Asterisk on {}", server.address());
        return server;
    }

    public InetSocketAddress address() {
        return listener.address();
    }

    @Override
    public void close() {
        listener.close();
    }
}
