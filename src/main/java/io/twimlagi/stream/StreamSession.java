package io.twimlagi.stream;

import io.twimlagi.call.AudioLink;
import io.twimlagi.call.AudioSink;
import io.twimlagi.media.Ulaw;
import io.twimlagi.stream.TwilioStreamProtocol.AppClear;
import io.twimlagi.stream.TwilioStreamProtocol.AppMark;
import io.twimlagi.stream.TwilioStreamProtocol.AppMedia;
import io.twimlagi.stream.TwilioStreamProtocol.Inbound;
import io.twimlagi.stream.TwilioStreamProtocol.Invalid;
import io.twimlagi.webhook.AppWebSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One Media Stream, from the WebSocket's opening to the {@code stop} message: the call's audio from Asterisk's
 * {@link AudioLink} becomes Twilio's {@code media} messages (20 ms, μ-law, per track), and for a bidirectional
 * stream ({@code <Connect>}) the app's audio is queued in a {@link Playout} that the {@link StreamClock} plays
 * out, with its marks and clears. Threads: Asterisk's frames arrive on the AudioSocket thread, the app's messages
 * on OkHttp's, the clock ticks on its own; each piece of state is guarded where it is shared.
 */
final class StreamSession implements AudioSink, StreamClock.Ticking, AppChannel.Events {
    private static final Logger log = LoggerFactory.getLogger(StreamSession.class);
    /** The most audio an app may queue: 5 minutes (2.4 MB of μ-law). */
    static final int MAX_QUEUED_AUDIO = 8000 * 300;
    private static final byte[] SILENT_PCM = new byte[2 * Playout.FRAME];

    /** How a stream ended, for the log line and the status callback. */
    enum End { APP_CLOSED, CALL_ENDED, STOPPED, FAILED }

    private final StreamSpec spec;
    private final boolean bidirectional;
    private final String callSid;
    private final String accountSid;
    private final StreamClock clock;
    private final StreamCallbacks callbacks;
    private final Consumer<StreamSession> onEnd;
    private final AppChannel app;
    private final Playout playout;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Chunker inbound = new Chunker("inbound");
    private final Chunker outbound = new Chunker("outbound");
    private volatile AudioLink link;
    private volatile boolean appGone;
    private volatile boolean started;
    private final Object startLock = new Object();
    private volatile long startNanos;
    private volatile boolean warned;
    private volatile boolean audioRefused;
    /** Set when the app's socket broke (not closed normally): the stream ends with stream-error. */
    private volatile AppChannel.Failure brokenBy;
    private final AtomicLong framesPlayed = new AtomicLong();
    private final AtomicLong marksEchoed = new AtomicLong();

    /**
     * @param bidirectional {@code <Connect><Stream>}: the app's audio is played to the caller, DTMF is sent
     * @param shedSilence   stream_playout = shed_silence (see {@link Playout#next()})
     * @param onEnd         called once when the stream is over
     */
    StreamSession(StreamSpec spec, boolean bidirectional, boolean shedSilence, String callSid, String accountSid,
                  StreamClock clock, StreamCallbacks callbacks, Consumer<StreamSession> onEnd) {
        this.spec = spec;
        this.bidirectional = bidirectional;
        this.callSid = callSid;
        this.accountSid = accountSid;
        this.clock = clock;
        this.callbacks = callbacks;
        this.onEnd = onEnd;
        this.app = new AppChannel(spec.sid());
        this.playout = bidirectional ? new Playout(MAX_QUEUED_AUDIO, shedSilence) : null;
    }

    String sid() {
        return spec.sid();
    }

    String name() {
        return spec.name();
    }

    boolean isEnded() {
        return ended.get();
    }

    /** Starts opening the app's WebSocket. */
    void openApp(AppWebSockets sockets) {
        log.info("{} stream {} ({}) connecting to {}", callSid, spec.sid(), Printable.of(spec.name()),
                Printable.of(spec.url()));
        app.open(sockets, spec.url(), this);
    }

    /** Waits for the WebSocket (see {@link AppChannel#awaitOpen}); false: it failed, and the stream is over. */
    boolean awaitOpen(long maxMillis, BooleanSupplier cancelled) throws InterruptedException {
        if (app.awaitOpen(maxMillis, cancelled)) return true;
        AppChannel.Failure f = app.failure();
        fail(f != null ? f : new AppChannel.Failure(31901, "the call moved on before the WebSocket opened"));
        return false;
    }

    /** The media connection this stream's audio comes through. */
    void attach(AudioLink l) {
        link = l;
        if (appGone || ended.get()) l.hangUp();
    }

    AudioLink link() {
        return link;
    }

    // ---- the app's side ----

    @Override
    public void opened() {
        synchronized (startLock) { // audio arriving meanwhile waits for "start" to be sent, then follows it
            startNanos = System.nanoTime();
            app.send(new TwilioStreamProtocol.Connected());
            app.send(new TwilioStreamProtocol.Start(spec.sid(), accountSid, callSid,
                    bidirectional ? Tracks.INBOUND.names : spec.tracks().names, spec.parameters()));
            started = true;
        }
        log.info("{} stream {} started", callSid, spec.sid());
        callbacks.started();
    }

    @Override
    public void failedToOpen(AppChannel.Failure f) {
        fail(f);
    }

    @Override
    public void received(Inbound m) {
        if (!bidirectional) {
            warnOnce(31951, "a unidirectional stream's app sent a message; ignored");
            return;
        }
        if (m instanceof AppMedia media) {
            if (!playout.add(media.ulaw())) {
                if (!audioRefused) {
                    audioRefused = true;
                    log.warn("{} stream {}: media refused: more than {} s of audio queued; the call goes on",
                            callSid, spec.sid(), MAX_QUEUED_AUDIO / 8000);
                }
            }
        } else if (m instanceof AppMark mark) {
            if (!playout.mark(mark.name())) warnOnce(31951, "too many marks pending; mark dropped");
        } else if (m instanceof AppClear) {
            playout.clear(this::echo);
        } else if (m instanceof Invalid bad) {
            warnOnce(bad.code(), bad.why() + "; ignored");
        }
    }

    @Override
    public void closedByApp(AppChannel.Failure f) {
        appGone = true;
        brokenBy = f;
        if (f != null) {
            log.warn("{} error {}: stream {}: {}", callSid, f.code(), spec.sid(), Printable.of(f.text()));
            callbacks.error(f.text());
        } else {
            log.info("{} stream {}: the app closed the WebSocket", callSid, spec.sid());
        }
        AudioLink l = link;
        if (!bidirectional) {
            end(f == null ? End.APP_CLOSED : End.FAILED, f);
        } else if (l != null) {
            l.hangUp(); // Asterisk's AudioSocket() returns: the TwiML goes on
        }
    }

    /** Media messages the app did not read in time (dropped), and bytes waiting to be written to it now. */
    long appDropped() {
        return app.dropped();
    }

    long appQueuedBytes() {
        return app.queuedBytes();
    }

    /** True once the app closed the socket (a bidirectional stream then ends). */
    boolean appClosed() {
        return appGone;
    }

    private void warnOnce(int code, String what) {
        if (warned) return;
        warned = true;
        log.warn("{} warning {}: stream {}: {} (logged once per stream)", callSid, code, spec.sid(), what);
    }

    // ---- Asterisk's side ----

    @Override
    public void connected() {
        if (!bidirectional) return;
        clock.add(this);
        // the stream may have ended between the link's attach and this call (finish removed it before it was
        // added): ended is set before finish's remove, so one of the two removes it
        if (ended.get()) clock.remove(this);
    }

    @Override
    public void audio(byte[] pcm, int offset, int length) {
        if (!started) {
            synchronized (startLock) {
                if (!started) return; // before the app's "start": Twilio's stream begins there
            }
        }
        if (ended.get()) return;
        if (bidirectional) {
            inbound.add(pcm, offset, length / 2, 1);
        } else { // interleaved stereo: left = the caller, right = what the caller hears
            int samples = length / 4;
            if (spec.tracks().inbound()) inbound.add(pcm, offset, samples, 2);
            if (spec.tracks().outbound()) outbound.add(pcm, offset + 2, samples, 2);
        }
    }

    @Override
    public void dtmf(char digit) {
        if (bidirectional && started && "0123456789*#ABCDabcd".indexOf(digit) >= 0) {
            app.send(new TwilioStreamProtocol.Dtmf(spec.sid(), Character.toUpperCase(digit)));
        }
    }

    @Override
    public void closed() {
        clock.remove(this);
        if (!bidirectional) end(End.CALL_ENDED, null);
    }

    @Override
    public void tick() {
        AudioLink l = link;
        if (l == null || ended.get()) return;
        Playout.Frame f = playout.next(this::echo); // marks echoed under the playout's lock: in order with clear
        if (f.audio() == null) {
            l.send(SILENT_PCM);
        } else {
            byte[] pcm = new byte[2 * Playout.FRAME];
            Ulaw.toPcm(f.audio(), 0, Playout.FRAME, pcm, 0);
            l.send(pcm);
            framesPlayed.incrementAndGet();
        }
    }

    /** Runs under the playout's lock (as {@link #finish}'s stop does): no mark goes out after the stop. */
    private void echo(List<String> marks) {
        if (ended.get()) return;
        for (String name : marks) {
            if (app.send(new TwilioStreamProtocol.Mark(spec.sid(), name))) marksEchoed.incrementAndGet();
        }
    }

    // ---- the end ----

    /** The stream could not start or broke: stream-error, and it is over. */
    void fail(AppChannel.Failure f) {
        if (!ended.compareAndSet(false, true)) return;
        String url = Printable.of(spec.url());
        String text = Printable.of(f.text());
        if (f.code() == 0) log.error("{} stream {} ({}) failed: {}", callSid, spec.sid(), url, text);
        else log.error("{} error {}: stream {} ({}): {}", callSid, f.code(), spec.sid(), url, text);
        callbacks.error(f.text());
        finish(End.FAILED, f);
    }

    /**
     * Ends the stream (once): {@code stop} to the app if it is still there, the socket closed, the audio link hung
     * up, stream-stopped (unless it failed).
     */
    void end(End why, AppChannel.Failure failure) {
        if (ended.compareAndSet(false, true)) finish(why, failure);
    }

    private void finish(End why, AppChannel.Failure failure) {
        clock.remove(this);
        if (!appGone) {
            if (playout == null) {
                app.sendLast(new TwilioStreamProtocol.Stop(spec.sid(), accountSid, callSid));
            } else {
                synchronized (playout) { // a tick echoing marks right now finishes first (its echo runs under it)
                    app.sendLast(new TwilioStreamProtocol.Stop(spec.sid(), accountSid, callSid));
                }
            }
        }
        app.close();
        AudioLink l = link;
        if (l != null) l.hangUp();
        if (started && failure == null && brokenBy == null) callbacks.stopped();
        log.info("{} stream {} ended ({}): {} messages to the app ({} media dropped: not read), {} frames played"
                        + " ({} silent ones skipped to shed a standing backlog), {} marks echoed", callSid, spec.sid(),
                why.name().toLowerCase().replace('_', ' '), app.sent(), app.dropped(), framesPlayed.get(),
                playout == null ? 0 : playout.trimmed(), marksEchoed.get());
        onEnd.accept(this);
    }

    /** Cuts one track's audio into Twilio's 20 ms media messages (160 μ-law bytes), whatever Asterisk's frames. */
    private final class Chunker {
        private final String track;
        private final byte[] pending = new byte[Playout.FRAME];
        private int filled;
        private long chunk;

        Chunker(String track) {
            this.track = track;
        }

        /** {@code samples} samples, each {@code step} samples apart, from byte {@code offset} of {@code pcm}. */
        void add(byte[] pcm, int offset, int samples, int step) {
            if (filled == 0 && samples == Playout.FRAME) { // the usual 20 ms frame: no copy
                send(Ulaw.fromPcm(pcm, offset, Playout.FRAME, step));
                return;
            }
            byte[] u = Ulaw.fromPcm(pcm, offset, samples, step);
            for (int i = 0; i < u.length; ) {
                int n = Math.min(Playout.FRAME - filled, u.length - i);
                System.arraycopy(u, i, pending, filled, n);
                filled += n;
                i += n;
                if (filled == Playout.FRAME) {
                    send(pending.clone());
                    filled = 0;
                }
            }
        }

        private void send(byte[] ulaw) {
            long ms = (System.nanoTime() - startNanos) / 1_000_000;
            app.send(new TwilioStreamProtocol.Media(spec.sid(), track, ++chunk, ms, ulaw));
        }
    }
}
