package io.twimlagi.stream;

import io.twimlagi.call.AudioLinks;
import io.twimlagi.engine.CallContext;
import io.twimlagi.twiml.Parameter;
import io.twimlagi.twiml.Stream;
import io.twimlagi.twilio.Sids;
import io.twimlagi.twilio.TwilioTime;
import io.twimlagi.webhook.AppWebSockets;
import io.twimlagi.webhook.CallbackSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Media Streams service: builds each stream of a call from its {@code <Stream>}, owns the clock of the
 * bidirectional ones, and keeps the running unidirectional ones ({@code <Start><Stream>}) by call, so that
 * {@code <Stop><Stream>} and the REST API can stop them. Where the audio comes from is the {@link AudioLinks} of the
 * edge (Asterisk's AudioSocket); where it goes, {@link AppWebSockets}.
 */
public final class MediaStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaStreams.class);
    /** Unidirectional streams one call may run at once (Twilio's limit is four). */
    static final int MAX_FORKS_PER_CALL = 4;

    /** A stream the REST API stopped, as its Stream resource shows it. */
    public record Stopped(String sid, String accountSid, String callSid, String name, String dateUpdated) {
    }

    private final AppWebSockets sockets;
    private final AudioLinks links;
    private final CallbackSender callbacks;
    private final long openMillis;
    private final boolean shedSilence;
    private final StreamClock clock = new StreamClock();
    private final Map<String, List<StreamSession>> forks = new ConcurrentHashMap<>();
    /** Every stream not ended yet, both kinds. */
    private final Set<StreamSession> live = ConcurrentHashMap.newKeySet();

    /**
     * @param open        how long a {@code <Connect><Stream>} waits for its WebSocket to open
     * @param shedSilence stream_playout = shed_silence: bidirectional streams may shorten pauses to shed a standing
     *                    backlog (false: every byte the app sends is played, as Twilio does)
     */
    public MediaStreams(AppWebSockets sockets, AudioLinks links, CallbackSender callbacks, Duration open,
                        boolean shedSilence) {
        this.shedSilence = shedSilence;
        this.sockets = sockets;
        this.links = links;
        this.callbacks = callbacks;
        this.openMillis = open.toMillis();
    }

    AppWebSockets sockets() {
        return sockets;
    }

    AudioLinks links() {
        return links;
    }

    long openMillis() {
        return openMillis;
    }

    /**
     * A new stream of the call for {@code noun} (not opened yet). A URL Twilio would not open is refused: logged
     * with its code and reported to the stream's statusCallback as stream-error.
     */
    StreamSession session(CallContext ctx, Stream noun, boolean bidirectional) throws StreamUrls.Refused {
        String sid = Sids.newStreamSid();
        String name = noun.name() == null || noun.name().isBlank() ? sid : noun.name();
        String statusCallback = noun.statusCallback() == null || noun.statusCallback().isBlank() ? null
                : ctx.resolve(noun.statusCallback());
        StreamCallbacks cb = new StreamCallbacks(callbacks, statusCallback, noun.statusCallbackMethod(),
                ctx.accountSid(), ctx.callSid(), sid, name);
        StreamUrls.Checked url;
        try {
            url = StreamUrls.check(noun.url(), ctx);
        } catch (StreamUrls.Refused e) {
            log.error("{} error {}: stream {}: {}; not started", ctx.callSid(), e.code, sid, Printable.of(e.getMessage()));
            cb.error(e.getMessage());
            throw e;
        }
        if (url.queryRemoved()) {
            log.warn("{} stream {}: the query string of {} is removed, as Twilio does (pass values with <Parameter>)",
                    ctx.callSid(), sid, Printable.of(noun.url()));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Parameter p : noun.parameters()) {
            if (p.name() != null) parameters.put(p.name(), p.value() == null ? "" : p.value());
        }
        StreamSpec spec = new StreamSpec(sid, name, url.url(), Tracks.of(noun.track()), parameters, statusCallback,
                noun.statusCallbackMethod());
        String callSid = ctx.callSid();
        StreamSession session = new StreamSession(spec, bidirectional, shedSilence, callSid, ctx.accountSid(), clock, cb, s -> {
            live.remove(s);
            if (!bidirectional) forget(callSid, s);
        });
        live.add(session);
        return session;
    }

    /** The streams running now, both kinds. */
    int live() {
        return live.size();
    }

    /** The streams running now (tests). */
    List<StreamSession> liveSessions() {
        return List.copyOf(live);
    }

    /** Why a new unidirectional stream of this call cannot start (too many, name in use), or null. */
    String forkRefusal(String callSid, String name) {
        List<StreamSession> running = forks.getOrDefault(callSid, List.of());
        if (running.size() >= MAX_FORKS_PER_CALL) {
            return MAX_FORKS_PER_CALL + " unidirectional streams are running on this call already";
        }
        if (name != null && running.stream().anyMatch(s -> s.name().equals(name))) {
            return "a stream named \"" + name + "\" is running on this call already";
        }
        return null;
    }

    /** Keeps a running unidirectional stream (for Stop and the REST API) until it ends. */
    void register(String callSid, StreamSession s) {
        forks.computeIfAbsent(callSid, k -> new CopyOnWriteArrayList<>()).add(s);
        if (s.isEnded()) forget(callSid, s);
    }

    private void forget(String callSid, StreamSession s) {
        forks.computeIfPresent(callSid, (k, list) -> {
            list.remove(s);
            return list.isEmpty() ? null : list;
        });
    }

    /** Stops the call's unidirectional streams named {@code name} (by name or sid), or all of them for null. */
    List<String> stop(String callSid, String nameOrSid) {
        List<String> stopped = new ArrayList<>();
        for (StreamSession s : forks.getOrDefault(callSid, List.of())) {
            if (nameOrSid == null || s.name().equals(nameOrSid) || s.sid().equals(nameOrSid)) {
                s.end(StreamSession.End.STOPPED, null);
                stopped.add(s.sid());
            }
        }
        return stopped;
    }

    /**
     * The REST API's {@code Calls/{CallSid}/Streams/{Sid}.json} {@code Status=stopped}: stops that running
     * unidirectional stream (by sid or name); empty when there is none.
     */
    public Optional<Stopped> stopFromRest(String accountSid, String callSid, String sidOrName) {
        for (StreamSession s : forks.getOrDefault(callSid, List.of())) {
            if (s.sid().equals(sidOrName) || s.name().equals(sidOrName)) {
                s.end(StreamSession.End.STOPPED, null);
                String name = s.name().equals(s.sid()) ? null : s.name();
                return Optional.of(new Stopped(s.sid(), accountSid, callSid, name,
                        TwilioTime.rfc2822(ZonedDateTime.now())));
            }
        }
        return Optional.empty();
    }

    /** Running unidirectional streams of a call (tests, metrics). */
    int running(String callSid) {
        return forks.getOrDefault(callSid, List.of()).size();
    }

    @Override
    public void close() {
        for (StreamSession s : List.copyOf(live)) s.end(StreamSession.End.CALL_ENDED, null);
        clock.close();
    }
}
