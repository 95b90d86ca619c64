package io.twimlagi.http;

import io.twimlagi.media.HoldMusicClasses;
import io.twimlagi.sip.CredentialEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asterisk's realtime lookups: res_config_curl POSTs {@code name=...} or {@code id=...} to
 * {@code /realtime/<secret>/<family>/single}; music-on-hold classes of conference waitUrls and the run-time PJSIP
 * endpoints and auths of {@code <Sip username password>} are answered, every other family or operation gets an
 * empty answer (no rows). A wrong or missing secret, or a client not on this host, gets 404 like an unknown path:
 * auth objects carry passwords.
 */
final class RealtimeRoute implements Route {
    private static final Logger log = LoggerFactory.getLogger(RealtimeRoute.class);
    private static final String PREFIX = "/realtime/";
    private static final long WARN_EVERY_NANOS = 60_000_000_000L;

    private final byte[] secretHash;
    private final HoldMusicClasses classes;
    private final CredentialEndpoints sip;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    RealtimeRoute(String secret, HoldMusicClasses classes, CredentialEndpoints sip) {
        this.secretHash = BasicAuth.sha256(secret);
        this.classes = classes;
        this.sip = sip;
    }

    @Override
    public void handle(Exchange x) {
        String path = x.path();
        int slash = path.indexOf('/', PREFIX.length());
        InetSocketAddress client = x.remote();
        if (slash < 0 || client == null || !client.getAddress().isLoopbackAddress()
                || !MessageDigest.isEqual(BasicAuth.sha256(path.substring(PREFIX.length(), slash)), secretHash)) {
            refused(client);
            x.sendText(404, "not found\n");
            return;
        }
        String form = x.bodyText();
        if (form.isEmpty() && x.rawQuery() != null) form = x.rawQuery();
        String body = switch (path.substring(slash)) {
            case "/musiconhold/single" -> classes.realtimeReply(form);
            case "/ps_endpoints/single" -> sip.realtimeReply("ps_endpoints", form);
            case "/ps_auths/single" -> sip.realtimeReply("ps_auths", form);
            default -> "";
        };
        x.sendText(200, body);
    }

    /** One warning a minute at most: a local process guessing, or an extconfig.conf with an old secret. */
    private void refused(InetSocketAddress client) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            log.warn("realtime lookup from {} without the right realtime_secret refused (404); Asterisk's"
                    + " extconfig.conf URLs must carry it", client);
        }
    }
}
