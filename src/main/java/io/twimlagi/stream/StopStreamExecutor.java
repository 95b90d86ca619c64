package io.twimlagi.stream;

import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.MediaNoun;
import io.twimlagi.twiml.Stop;
import io.twimlagi.twiml.Stream;
import io.twimlagi.verbs.VerbExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * {@code <Stop><Stream name="…"/>}: ends the call's running unidirectional stream of that name (or sid); without a
 * name, every one of them. Other nouns are not supported: logged (12400) and skipped.
 */
public final class StopStreamExecutor implements VerbExecutor<Stop> {
    private static final Logger log = LoggerFactory.getLogger(StopStreamExecutor.class);

    private final MediaStreams streams;

    public StopStreamExecutor(MediaStreams streams) {
        this.streams = streams;
    }

    @Override
    public Outcome execute(Stop verb, CallContext ctx) {
        for (MediaNoun n : verb.nouns()) {
            if (n instanceof Stream s) {
                String name = s.name() == null || s.name().isBlank() ? null : s.name();
                List<String> stopped = streams.stop(ctx.callSid(), name);
                if (stopped.isEmpty()) {
                    log.warn("{} <Stop><Stream{}> (line {}): no such stream is running", ctx.callSid(),
                            name == null ? "" : " name=\"" + Printable.of(name) + "\"", n.line());
                }
            } else {
                log.error("{} error 12400: <Stop><{}> (line {}) is not supported by this version of twiml-agi; "
                        + "skipped", ctx.callSid(), n.getClass().getSimpleName(), n.line());
            }
        }
        return ctx.call().isGone() ? Outcome.END : Outcome.NEXT;
    }
}
