package io.twimlagi.stream;

import io.twimlagi.call.AudioLink;
import io.twimlagi.call.CallGoneException;
import io.twimlagi.call.CallInterrupted;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.MediaNoun;
import io.twimlagi.twiml.Start;
import io.twimlagi.twiml.Stream;
import io.twimlagi.verbs.VerbExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * {@code <Start><Stream>}: a unidirectional Media Stream that forks the call's audio ({@code track}: what the caller
 * says, what the caller hears, or both) to the app while the following verbs run. Returns at once: the WebSocket
 * opens in the background (a failure is stream-error), Asterisk starts copying the audio (ChanSpy over an AudioSocket
 * channel). The stream ends with {@code <Stop><Stream>}, the REST API, the app closing the socket or the call's
 * end. Other nouns ({@code <Siprec>}, {@code <Transcription>}, {@code <Recording>}) are not supported: logged
 * (12400) and skipped, the TwiML goes on.
 */
public final class StartStreamExecutor implements VerbExecutor<Start> {
    private static final Logger log = LoggerFactory.getLogger(StartStreamExecutor.class);

    private final MediaStreams streams;

    public StartStreamExecutor(MediaStreams streams) {
        this.streams = streams;
    }

    @Override
    public Outcome execute(Start verb, CallContext ctx) {
        for (MediaNoun n : verb.nouns()) {
            if (n instanceof Stream s) {
                start(s, ctx);
            } else {
                log.error("{} error 12400: <Start><{}> (line {}) is not supported by this version of twiml-agi; "
                        + "skipped", ctx.callSid(), n.getClass().getSimpleName(), n.line());
            }
        }
        if (verb.action() != null) return new Outcome.Navigate(ctx.resolve(verb.action()), verb.method(), Map.of());
        return ctx.call().isGone() ? Outcome.END : Outcome.NEXT;
    }

    private void start(Stream noun, CallContext ctx) {
        ctx.call().answer();
        String refusal = streams.forkRefusal(ctx.callSid(), noun.name());
        if (refusal != null) {
            log.error("{} <Start><Stream> (line {}) not started: {}", ctx.callSid(), noun.line(),
                    Printable.of(refusal));
            return;
        }
        StreamSession session;
        try {
            session = streams.session(ctx, noun, false);
        } catch (StreamUrls.Refused e) {
            return;
        }
        AudioLink link;
        try {
            link = streams.links().open(session);
        } catch (IllegalStateException e) {
            session.fail(new AppChannel.Failure(0, e.getMessage()));
            return;
        }
        session.attach(link);
        streams.register(ctx.callSid(), session);
        session.openApp(streams.sockets());
        boolean forked;
        try {
            forked = ctx.call().forkAudio(link);
        } catch (CallGoneException | CallInterrupted e) { // the caller hung up meanwhile, or a live update
            session.end(StreamSession.End.CALL_ENDED, null);
            throw e;
        } catch (RuntimeException e) { // a fork Asterisk cannot be asked for: the stream fails, the call goes on
            log.error("{} <Start><Stream>: cannot start the copy of the call's audio: {}", ctx.callSid(),
                    e.getMessage());
            forked = false;
        }
        if (!forked) {
            session.fail(new AppChannel.Failure(0, "Asterisk could not start the copy of the call's audio to "
                    + link.address() + " (are app_originate, app_chanspy and chan_audiosocket loaded? see "
                    + "asterisk-conf/modules-twiml.conf)"));
        }
    }
}
