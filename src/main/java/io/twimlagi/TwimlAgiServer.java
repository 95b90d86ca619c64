package io.twimlagi;

import io.twimlagi.agi.FastAgiServer;
import io.twimlagi.config.Config;
import io.twimlagi.config.Domain;
import io.twimlagi.config.General;
import io.twimlagi.config.Sids;
import io.twimlagi.engine.AnsweredLeg;
import io.twimlagi.engine.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.CallProgress;
import io.twimlagi.engine.DocumentFetcher;
import io.twimlagi.engine.Interpreter;
import io.twimlagi.engine.StatusCallbacks;
import io.twimlagi.http.EmbeddedHttpServer;
import io.twimlagi.media.AudioLibrary;
import io.twimlagi.media.EspeakTts;
import io.twimlagi.media.HoldMusicClasses;
import io.twimlagi.media.MediaCache;
import io.twimlagi.media.MediaException;
import io.twimlagi.media.MediaStore;
import io.twimlagi.media.OwnRecordings;
import io.twimlagi.media.SpeechCache;
import io.twimlagi.media.Tts;
import io.twimlagi.metrics.Metrics;
import io.twimlagi.sip.CredentialEndpoints;
import io.twimlagi.sip.SipCapture;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.recording.RecordingStore;
import io.twimlagi.verbs.DialExecutor;
import io.twimlagi.verbs.DialSessions;
import io.twimlagi.verbs.RecordExecutor;
import io.twimlagi.verbs.ReferExecutor;
import io.twimlagi.verbs.SpokenApplicationError;
import io.twimlagi.verbs.VerbExecutors;
import io.twimlagi.webhook.CallbackSender;
import io.twimlagi.webhook.OutboundGuard;
import io.twimlagi.webhook.OwnAddresses;
import io.twimlagi.webhook.WebhookClient;
import org.asteriskjava.fastagi.AgiRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** The whole server: FastAGI for Asterisk, the embedded HTTP endpoint, and the shared services calls use. */
public final class TwimlAgiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TwimlAgiServer.class);

    /** Replaced by {@link #reload} (SIGHUP); each call reads it once, at its start. */
    private volatile Config config;
    private final WebhookClient webhooks;
    private final Metrics metrics = new Metrics(this::activeCalls);
    private final CallbackSender callbacks;
    private final StatusCallbacks statusCallbacks;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** Calls in progress: a shutdown that cannot wait for them still sends their terminal status callback. */
    private final java.util.Set<CallContext> calls = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Interpreter interpreter;
    /** Dials whose answered leg calls back before the bridge (screening url, 200 OK headers). */
    private final DialSessions dialSessions = new DialSessions();
    private final FastAgiServer agi;
    /** Asterisk's HEP copy of SIP messages (hep.conf); null when sip_capture = off. */
    private final SipCapture capture;
    private final EmbeddedHttpServer http;

    private TwimlAgiServer(Config config, Tts tts) throws IOException {
        this.config = config;
        General g = config.general();
        MediaStore store = new MediaStore(g.mediaDir(), g.asteriskMediaDir().toString());
        MediaCache mediaCache = new MediaCache(store, g.mediaCacheBytes(), metrics::cache);
        SpeechCache speech = new SpeechCache(tts, store, mediaCache);
        SpokenApplicationError applicationError = new SpokenApplicationError(speech);
        // no outgoing request may reach our own listeners (nor link-local addresses): README "Security"
        OutboundGuard guard = new OutboundGuard(new OwnAddresses(List.of(g.httpBind(), g.agiBind())));
        webhooks = new WebhookClient(g.authToken(), g.webhookConnectTimeout(), g.webhookTimeout(), guard);
        callbacks = new CallbackSender(webhooks);
        statusCallbacks = new StatusCallbacks(callbacks);
        RecordingStore recordings = new RecordingStore(g.mediaDir(), g.asteriskMediaDir().toString());
        DocumentFetcher fetcher = new DocumentFetcher(webhooks, metrics);
        AudioLibrary audio = new AudioLibrary(store, mediaCache,
                new OwnRecordings(g.publicUrl(), g.accountSid(), g.authToken(), recordings::wav), guard);
        HoldMusicClasses holdClasses = new HoldMusicClasses();
        CredentialEndpoints credentialEndpoints = new CredentialEndpoints();
        capture = g.sipCapture() == null ? null : new SipCapture(g.sipCapturePassword()); // listens once all is up
        RecordExecutor record;
        DialExecutor dial;
        try {
            record = new RecordExecutor(recordings, callbacks, g.publicUrl(), RecordExecutor.beepPrompt(store));
            dial = DialExecutor.create(store, recordings, callbacks, g.publicUrl(), dialSessions, fetcher, speech,
                    audio, holdClasses, new DialExecutor.SipAuth(credentialEndpoints, g.dialSipAuthOptions()), capture);
        } catch (MediaException e) {
            throw new IOException("cannot write the Record and conference tones: " + e.getMessage(), e);
        }
        interpreter = new Interpreter(fetcher, new VerbExecutors(speech, audio, record,
                new ReferExecutor(Duration.ofSeconds(g.referTimeoutSeconds()), capture), dial, applicationError),
                applicationError);
        dialSessions.screener(interpreter::screen);
        dialSessions.callbacks(callbacks);
        dialSessions.capture(capture);
        http = new EmbeddedHttpServer(g.httpBind(), this::activeCalls, recordings, g.accountSid(), g.authToken());
        http.serveRealtime(holdClasses, credentialEndpoints);
        http.serveMetrics(metrics);
        try {
            agi = new FastAgiServer(g.agiBind(), g.agiMaxCalls(), new FastAgiServer.CallHandler() {
                @Override
                public void handle(Call call, SipInvite invite, AgiRequest request) {
                    TwimlAgiServer.this.handle(call, invite, request);
                }

                @Override
                public boolean answered(Call callee, AnsweredLeg leg) {
                    return dialSessions.answered(callee, leg);
                }

                @Override
                public void legCreated(String token, String dialed, String callId) {
                    dialSessions.created(token, dialed, callId);
                }
            });
        } catch (IOException e) {
            http.close();
            throw e;
        }
        if (capture != null) capture.listen(g.sipCapture());
        g.authTokenWarning().ifPresent(log::warn);
        log.info("twiml-agi listening: FastAGI {}, HTTP {}, {} SIP domain section(s)", g.agiBind(), g.httpBind(),
                config.domains().size());
    }

    /** Starts with Debian's espeak-ng as the TTS engine. */
    public static TwimlAgiServer start(Config config) throws IOException, MediaException {
        return start(config, new EspeakTts("espeak-ng"));
    }

    public static TwimlAgiServer start(Config config, Tts tts) throws IOException {
        return new TwimlAgiServer(config, tts);
    }

    public int activeCalls() {
        return agi == null ? 0 : agi.activeCalls();
    }

    private void handle(Call call, SipInvite invite, AgiRequest request) {
        Domain domain = config.domainFor(invite.domain());
        CallContext ctx = new CallContext(call, Sids.newCallSid(), config.general().accountSid(), invite, domain);
        log.info("{} call {} from {} to {} (Call-ID {}, {} X- headers, channel {})", ctx.callSid(), domain.sid(),
                invite.from(), invite.to(), invite.callId(), invite.xHeaders().size(), request.getChannel());
        ctx.onAnswer(() -> statusCallbacks.answered(ctx));
        calls.add(ctx);
        statusCallbacks.started(ctx);
        try {
            interpreter.run(ctx);
        } finally {
            calls.remove(ctx);
            statusCallbacks.completed(ctx);
            CallProgress p = ctx.progress();
            metrics.callEnded(p.finalSipCode());
            // the one structured line per call
            log.info("{} call-end sip_call_id={} from={} to={} status={} sip_code={} duration_s={} elapsed_ms={} "
                            + "verbs={} fetches={}", ctx.callSid(), invite.callId(), invite.from(), invite.to(),
                    p.terminalStatus(), p.finalSipCode(), p.durationSeconds(),
                    System.currentTimeMillis() - p.startMillis(), String.join(",", p.verbs()),
                    String.join(",", p.fetches()));
        }
    }

    /**
     * Takes a new config for calls that start from now on: domains, their URLs and SIDs. Listen addresses,
     * the account, the token and folders need a restart; a change to them is logged and ignored.
     */
    public void reload(Config fresh) {
        General old = config.general();
        General g = fresh.general();
        boolean restartNeeded = !old.agiBind().equals(g.agiBind()) || !old.httpBind().equals(g.httpBind())
                || !old.accountSid().equals(g.accountSid()) || !old.authToken().equals(g.authToken())
                || !old.mediaDir().equals(g.mediaDir()) || !old.asteriskMediaDir().equals(g.asteriskMediaDir());
        if (restartNeeded) {
            log.warn("config reload: listen addresses, account, auth_token and folders change only on restart");
        }
        config = fresh;
        log.info("config reloaded from {}: {} SIP domain section(s)", fresh.file(), fresh.domains().size());
    }

    /**
     * Graceful stop: refuse new calls at once (Asterisk's dialplan then answers them 503), let running calls
     * finish for up to {@code grace}, then close. Calls still up after that lose the AGI connection; the
     * dialplan hangs them up.
     */
    public void shutdown(java.time.Duration grace) {
        agi.close();
        long deadline = System.nanoTime() + grace.toNanos();
        int left = activeCalls();
        if (left > 0) log.info("shutting down: waiting up to {} s for {} call(s)", grace.toSeconds(), left);
        while (activeCalls() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (activeCalls() > 0) log.warn("shutting down with {} call(s) still up", activeCalls());
        calls.forEach(statusCallbacks::completed); // their threads will not get to it
        close();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        agi.close();
        http.close();
        if (capture != null) capture.close();
        callbacks.close();
        webhooks.close();
    }
}
