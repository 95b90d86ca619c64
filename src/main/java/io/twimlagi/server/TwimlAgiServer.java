package io.twimlagi.server;

import io.twimlagi.agi.AgiLimits;
import io.twimlagi.agi.AgiScripts;
import io.twimlagi.agi.FastAgiServer;
import io.twimlagi.ami.AmiClient;
import io.twimlagi.call.AnsweredLeg;
import io.twimlagi.call.Call;
import io.twimlagi.call.DialLegListener;
import io.twimlagi.config.Config;
import io.twimlagi.config.Domain;
import io.twimlagi.config.General;
import io.twimlagi.dial.DialSessions;
import io.twimlagi.engine.CallIdentity;
import io.twimlagi.http.EmbeddedHttpServer;
import io.twimlagi.http.RealtimeServer;
import io.twimlagi.media.EspeakTts;
import io.twimlagi.media.MediaException;
import io.twimlagi.media.Tts;
import io.twimlagi.records.RecordStore;
import io.twimlagi.rest.RestApi;
import io.twimlagi.sip.RejectCodes;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.twilio.Sids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running server: FastAGI for Asterisk, the embedded HTTP endpoint, Asterisk's SIP capture, over the
 * {@link Services}; starts each call's {@link CallSession}, reloads the config, shuts down.
 */
public final class TwimlAgiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TwimlAgiServer.class);

    /** Replaced by {@link #reload} (SIGHUP); each call reads it once, at its start. */
    private volatile Config config;
    private final Services services;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set by {@link #shutdown}: new calls are refused while the running ones finish. */
    private volatile boolean draining;
    private final FastAgiServer agi;
    private final OutboundCalls outbound;
    private final EmbeddedHttpServer http;
    /** Asterisk's realtime lookups (realtime_bind); null when realtime_secret is not set. */
    private final RealtimeServer realtime;

    private TwimlAgiServer(Config config, Tts tts) throws IOException {
        this.config = config;
        General g = config.general();
        g.authTokenWarning().ifPresent(log::warn);
        services = Services.build(g, tts);
        Originator originator = services.ami() == null ? null : new AmiOriginator(services.ami());
        outbound = new OutboundCalls(services, () -> this.config, originator);
        try {
            http = new EmbeddedHttpServer(g.httpBind(), services.liveCalls()::size, services.recordings(),
                    g.accountSid(), g.authToken());
        } catch (IOException e) {
            services.close();
            throw e;
        }
        http.serveMetrics(services.metrics());
        RestApi rest = new RestApi(g.accountSid(), g.authToken(), new RestCalls(services, outbound, originator),
                new RestRecordings(services), new RestConferences(services.records(), services.conferences()),
                RestStreams.of(services));
        rest.attach(http);
        rest.attachQueues(http, new RestQueues(services.queues().registry()));
        try {
            realtime = RealtimeServer.startIfConfigured(g.realtime(), services.holdClasses(),
                    services.credentialEndpoints());
        } catch (IOException e) {
            http.close();
            services.close();
            throw e;
        }
        try {
            agi = new FastAgiServer(g.agiBind(), g.agiMaxCalls(),
                    new AgiLimits(g.agiAllow(), g.agiEnvironmentTimeout(), g.agiReplyTimeout()),
                    AgiScripts.of(this::handle, legs(), outbound, services.bridgeBreaker()));
        } catch (IOException e) {
            http.close();
            if (realtime != null) realtime.close();
            services.close();
            throw e;
        }
        if (services.capture() != null) services.capture().listen(g.sipCapture());
        if (g.audioSocketBind() != null) listenForAudio(g);
        log.info("twiml-agi listening: FastAGI {}, HTTP {}, {} SIP domain section(s)", g.agiBind(), g.httpBind(),
                config.domains().size());
    }

    /** Media Streams' audio from Asterisk; without the port, streams fail (stream-error) and calls go on. */
    private void listenForAudio(General g) {
        try {
            services.audioSockets().listen(g.audioSocketBind());
        } catch (IOException e) {
            log.error("Media Streams are off: {}", e.getMessage());
        }
    }

    /** Starts with Debian's espeak-ng as the TTS engine. */
    public static TwimlAgiServer start(Config config) throws IOException, MediaException {
        return start(config, new EspeakTts("espeak-ng"));
    }

    public static TwimlAgiServer start(Config config, Tts tts) throws IOException {
        return new TwimlAgiServer(config, tts);
    }

    public int activeCalls() {
        return services.liveCalls().size();
    }

    /** The calls in progress. */
    public LiveCalls calls() {
        return services.liveCalls();
    }

    /** Asterisk's manager, null when AMI is off (tools and tests: is it connected yet?). */
    public AmiClient ami() {
        return services.ami();
    }

    /** The call and recording records (the REST API's). */
    public RecordStore records() {
        return services.records();
    }

    /** The calls the REST API started. */
    public OutboundCalls outbound() {
        return outbound;
    }

    /** Dial legs report to their Dial; an outbound call's leg (its CallSid is the token) to that call. */
    private DialLegListener legs() {
        DialSessions dials = services.dialSessions();
        return new DialLegListener() {
            @Override
            public boolean answered(Call callee, AnsweredLeg leg) {
                return dials.answered(callee, leg);
            }

            @Override
            public void created(String token, String dialed, String callId) {
                if (!outbound.legCreated(token, callId)) dials.created(token, dialed, callId);
            }
        };
    }

    private void handle(Call call, SipInvite invite, String channel) {
        if (draining) { // shutting down: no new call; the FastAGI port stays open for the calls still running
            log.info("call to {} refused with 503: shutting down (Call-ID {}, channel {})", invite.to(),
                    invite.callId(), channel);
            call.reject(RejectCodes.UNAVAILABLE.sipCode);
            return;
        }
        Config c = config;
        Domain domain = c.domainFor(invite.domain());
        String refused = domain.admission().refusal(invite.sourceIp(), invite.endpoint());
        if (refused != null) { // as a Twilio SIP domain's ACL: 403 at the edge, no call resource, no webhook at all
            log.warn("call to {} refused with 403: {} (domain {}, Call-ID {}, from {}, channel {})", invite.to(),
                    refused, domain.sid(), invite.callId(), invite.from(), channel);
            call.reject(RejectCodes.FORBIDDEN.sipCode);
            services.metrics().callEnded(RejectCodes.FORBIDDEN.sipCode);
            return;
        }
        new CallSession(services, call,
                CallIdentity.inbound(Sids.newCallSid(), c.general().accountSid(), invite, domain)).run(channel);
    }

    /**
     * Takes a new config for calls that start from now on: domains, their URLs and SIDs. Listen addresses,
     * the account, the token and folders need a restart; a change to them is logged and ignored.
     */
    public void reload(Config fresh) {
        General old = config.general();
        General g = fresh.general();
        boolean restartNeeded = !old.agiBind().equals(g.agiBind()) || !old.httpBind().equals(g.httpBind())
                || !Objects.equals(old.realtime(), g.realtime())
                || !old.accountSid().equals(g.accountSid()) || !old.authToken().equals(g.authToken())
                || !old.mediaDir().equals(g.mediaDir()) || !old.asteriskMediaDir().equals(g.asteriskMediaDir())
                || !old.agiAllow().equals(g.agiAllow()) || !old.sipCaptureAllow().equals(g.sipCaptureAllow())
                || !old.agiEnvironmentTimeout().equals(g.agiEnvironmentTimeout())
                || !old.agiReplyTimeout().equals(g.agiReplyTimeout())
                || !Objects.equals(old.ami(), g.ami()) || !old.recordsDb().equals(g.recordsDb())
                || old.callLogDays() != g.callLogDays();
        if (restartNeeded) {
            log.warn("config reload: listen addresses, agi_allow, AGI timeouts, sip_capture_allow, account, "
                    + "auth_token, folders, ami_*, records_db and call_log_days change only on restart");
        }
        config = fresh;
        log.info("config reloaded from {}: {} SIP domain section(s)", fresh.file(), fresh.domains().size());
    }

    /**
     * Graceful stop: refuse new calls at once (inbound ones 503, REST ones 503 JSON), let running calls
     * finish for up to {@code grace}, then close. Calls still up after that lose the AGI connection; the
     * dialplan hangs them up.
     */
    public void shutdown(Duration grace) {
        // new calls are refused, but the FastAGI port stays open until the end: the calls still running need it
        // (a REST call's Dial reports its end on a new connection, a Dial leg's answer runs the leg's script)
        draining = true;
        outbound.drain();
        services.queues().registry().shutdown(); // waiting callers leave at once: system-shutdown
        long deadline = System.nanoTime() + grace.toNanos();
        // REST calls still queued or ringing are not live calls yet; their terminal callbacks must go out too
        int left = activeCalls() + outbound.inProgress();
        if (left > 0) log.info("shutting down: waiting up to {} s for {} call(s)", grace.toSeconds(), left);
        while (activeCalls() + outbound.inProgress() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (activeCalls() + outbound.inProgress() > 0) {
            log.warn("shutting down with {} call(s) still up", activeCalls() + outbound.inProgress());
        }
        services.liveCalls().all().forEach(CallSession::abandoned); // their threads will not get to it
        close();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        agi.close();
        services.queues().registry().shutdown();
        http.close();
        if (realtime != null) realtime.close();
        services.close();
    }
}
