package io.twimlagi.stream;

import io.twimlagi.call.AudioLink;
import io.twimlagi.call.AudioLinkEnd;
import io.twimlagi.call.CallInterrupted;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.Connect;
import io.twimlagi.twiml.MediaNoun;
import io.twimlagi.twiml.Stream;
import io.twimlagi.verbs.VerbExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * {@code <Connect><Stream>}: a bidirectional Media Stream. Answers, opens the app's WebSocket (waiting for it:
 * nothing runs until it is open), then carries the caller's audio to the app and the app's to the caller until the
 * app closes the socket or the caller hangs up; then {@code action} (or the next verb). A live update ends it at
 * once (the new TwiML replaces the action). A WebSocket that cannot be opened is stream-error and the same
 * {@code action}/next verb. Only {@code <Stream>} is executed: another noun ({@code <ConversationRelay>},
 * {@code <Room>}...) is unsupported and ends the call as before ({@code fallback}).
 */
public final class ConnectStreamExecutor implements VerbExecutor<Connect> {
    private static final Logger log = LoggerFactory.getLogger(ConnectStreamExecutor.class);

    private final MediaStreams streams;
    private final VerbExecutor<Connect> unsupported;

    /** @param unsupported what runs a {@code <Connect>} without a {@code <Stream>} */
    public ConnectStreamExecutor(MediaStreams streams, VerbExecutor<Connect> unsupported) {
        this.streams = streams;
        this.unsupported = unsupported;
    }

    @Override
    public Outcome execute(Connect verb, CallContext ctx) {
        Stream noun = null;
        for (MediaNoun n : verb.nouns()) {
            if (n instanceof Stream s) {
                if (noun == null) noun = s;
                else log.warn("{} <Connect> (line {}): only its first <Stream> runs", ctx.callSid(), verb.line());
            } else {
                return unsupported.execute(verb, ctx);
            }
        }
        if (noun == null) return unsupported.execute(verb, ctx);
        ctx.call().answer();
        if (!"inbound_track".equals(noun.track())) {
            log.warn("{} warning 31941: <Connect><Stream track=\"{}\"> (line {}): a bidirectional stream carries "
                    + "the inbound track only", ctx.callSid(), Printable.of(noun.track()), noun.line());
        }
        StreamSession session;
        try {
            session = streams.session(ctx, noun, true);
        } catch (StreamUrls.Refused e) {
            return after(verb, ctx);
        }
        run(session, ctx);
        return after(verb, ctx);
    }

    /** The stream from its opening to its end; a live update or hangup unwinds after the stream is ended. */
    private void run(StreamSession session, CallContext ctx) {
        session.openApp(streams.sockets());
        try {
            if (!session.awaitOpen(streams.openMillis(), () -> ctx.call().interrupted() || ctx.call().isGone())) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.end(StreamSession.End.STOPPED, null);
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
        AudioLinkEnd end = null;
        try {
            end = ctx.call().linkAudio(link);
        } finally { // also when a live update (CallInterrupted) or a hangup (CallGoneException) unwinds
            if (end == AudioLinkEnd.FAILED) {
                session.fail(new AppChannel.Failure(0, "Asterisk could not connect its AudioSocket to "
                        + link.address() + " (is app_audiosocket loaded? see asterisk-conf/modules-twiml.conf)"));
            } else {
                session.end(end == AudioLinkEnd.CALLER_HUNG_UP || ctx.call().isGone() ? StreamSession.End.CALL_ENDED
                        : session.appClosed() ? StreamSession.End.APP_CLOSED : StreamSession.End.STOPPED, null);
            }
        }
    }

    /** The action (also after a hangup, its answer ignored, as a Dial's), else the next verb. */
    private static Outcome after(Connect verb, CallContext ctx) {
        if (ctx.call().interrupted() && !ctx.call().isGone()) throw new CallInterrupted();
        if (verb.action() != null) return new Outcome.Navigate(ctx.resolve(verb.action()), verb.method(), Map.of());
        return ctx.call().isGone() ? Outcome.END : Outcome.NEXT;
    }
}
