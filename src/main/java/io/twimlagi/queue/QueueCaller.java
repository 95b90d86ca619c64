package io.twimlagi.queue;

import io.twimlagi.call.CallGoneException;
import io.twimlagi.call.CallInterrupted;
import io.twimlagi.call.ConferenceResult;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.DocumentWalker;
import io.twimlagi.engine.Outcome;
import io.twimlagi.engine.VerbRunner;
import io.twimlagi.engine.Walk;
import io.twimlagi.engine.WalkEnd;
import io.twimlagi.engine.WalkPolicy;
import io.twimlagi.metrics.QueueMetrics;
import io.twimlagi.twiml.Hangup;
import io.twimlagi.twiml.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One caller's time in a queue, on its own call thread: rounds of waiting (the waitUrl document walked under
 * {@link WalkPolicy#QUEUE_WAIT}, or hold music, or silence) until it leaves by itself ({@code <Leave>}, a hangup, a
 * live update) or another thread leaves it a {@link Signal} (an agent's dequeue, a REST redirect, the shutdown),
 * which stops the round at once. A dequeued caller runs the Queue's url, then meets its agent ({@link Handoff}).
 */
final class QueueCaller {
    private static final Logger log = LoggerFactory.getLogger(QueueCaller.class);
    /** The music-on-hold class played without a waitUrl (Twilio plays its classical playlist). */
    static final String DEFAULT_HOLD_CLASS = "default";
    /** One round of hold music or silence; the caller's place is shown again after each. */
    static final Duration HOLD_ROUND = Duration.ofSeconds(30);
    /** After a waitUrl that failed (fetch error, Redirect loop), hold music this long before asking again. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);
    /** A waitUrl round is at least this long (the rest in silence): an empty document never spins. */
    static final Duration MIN_ROUND = Duration.ofSeconds(1);

    /** The collaborators every caller shares. */
    record Tools(QueueRegistry queues, DocumentWalker walker, VerbRunner verbs, QueueRooms rooms,
                 QueueMetrics metrics) {
    }

    /**
     * How the caller left: Twilio's QueueResult, its seconds in the queue, and what runs next instead of the
     * Enqueue's action ({@code redirectTo}, a REST redirect) or whether a live update took the call ({@code live}).
     */
    record Left(QueueResult result, int queueSeconds, Outcome redirectTo, boolean live) {
        static Left of(QueueResult result, int seconds) {
            return new Left(result, seconds, null, false);
        }
    }

    private final Tools t;
    private final Member m;
    private final CallContext ctx;
    /** Absolute, "" (silence) or null (hold music). */
    private final String waitUrl;
    private final HttpMethod waitMethod;
    private final VerbRunner waitVerbs;
    private boolean waitFailed;
    private long padNanos;
    private int shownPosition = -1;

    QueueCaller(Tools t, Member m, CallContext ctx, String waitUrl, HttpMethod waitMethod) {
        this.t = t;
        this.m = m;
        this.ctx = ctx;
        this.waitUrl = waitUrl;
        this.waitMethod = waitMethod;
        this.waitVerbs = (verb, doc) -> { // the place shown as it changes; a Redirect or Gather carries the figures
            if (verb instanceof Hangup h && h.line() == 0) return Outcome.NEXT; // see playedNotEnded
            showPosition();
            Outcome o = t.verbs().run(verb, doc);
            return o instanceof Outcome.Navigate n ? new Outcome.Navigate(n.url(), n.method(), waitParams(n))
                    : o;
        };
    }

    /*
     * playedNotEnded: a waitUrl that answers with audio (or plain text) is played (spoken) and the round ends: the
     * fetcher makes it a document of that Play and a Hangup of no line, which ends a call's own TwiML but here only
     * means the round is over; the audio loops as the waitUrl is asked again, as on Twilio.
     */

    /** Waits until the caller is out of the queue; never leaves it in the queue. */
    Left run() {
        Left left = null;
        try {
            left = waitAndMeet();
            return left;
        } catch (CallGoneException gone) {
            left = Left.of(QueueResult.HANGUP, m.waitSeconds());
            return left;
        } finally {
            if (t.queues().abandon(m) instanceof Signal.Dequeued late) late.handoff().callerGone();
            QueueResult r = left == null ? QueueResult.ERROR : left.result();
            int seconds = left == null ? m.waitSeconds() : left.queueSeconds();
            t.metrics().left(r.value, seconds);
            log.info("{} left queue \"{}\" ({}) after {} s: {}", ctx.callSid(), m.queueName(), m.queueSid(), seconds,
                    r.value);
            clearAnnotation();
        }
    }

    private Left waitAndMeet() {
        while (true) {
            Object r = round();
            if (r instanceof Left l) return l;
            if (r instanceof Signal.Shutdown) return Left.of(QueueResult.SYSTEM_SHUTDOWN, m.waitSeconds());
            if (r instanceof Signal.Redirected to) {
                log.info("{} taken out of queue \"{}\" by the REST API: {} {}", ctx.callSid(), m.queueName(),
                        to.method(), to.url());
                return new Left(QueueResult.REDIRECTED, m.waitSeconds(),
                        new Outcome.Navigate(to.url(), to.method(), Map.of()), false);
            }
            if (r instanceof Signal.Dequeued d) {
                Left l = meet(d.handoff());
                if (l != null) return l;
            }
        }
    }

    /** One round of waiting; a {@link Signal}, a {@link Left}, or null to go on waiting. */
    private Object round() {
        boolean walking = waitUrl != null && !waitUrl.isEmpty() && !waitFailed && padNanos == 0;
        Walk walk = new Walk(ctx.call());
        // the stopper runs under the registry's lock, so none comes after detach()
        if (!t.queues().attach(m, walking ? walk::stop : ctx.call()::interrupt)) return takeSignal(walking);
        long started = System.nanoTime();
        WalkEnd end = null;
        try {
            showPosition();
            if (walking) {
                end = t.walker().walk(ctx.aside(waitUrl), new Outcome.Navigate(waitUrl, waitMethod, waitParams(null)),
                        WalkPolicy.QUEUE_WAIT, waitVerbs, walk);
            } else {
                hold();
            }
        } catch (CallInterrupted stopped) {
            // hold music or silence stopped: by our stopper (a signal is there) or a live update (none)
        } finally {
            t.queues().detach(m);
        }
        Object s = takeSignal(walking);
        if (s != null) return s;
        if (ctx.call().isGone() || end == WalkEnd.CALLER_GONE) return Left.of(QueueResult.HANGUP, m.waitSeconds());
        if (ctx.call().interrupted()) return new Left(QueueResult.REDIRECTED, m.waitSeconds(), null, true);
        if (end == WalkEnd.ENDING_VERB) return Left.of(QueueResult.LEAVE, m.waitSeconds());
        if (end == WalkEnd.ENDED) return Left.of(QueueResult.ERROR, m.waitSeconds()); // an application error
        if (end == WalkEnd.FETCH_FAILED || end == WalkEnd.TOO_MANY_DOCUMENTS || end == WalkEnd.VERB_NOT_ALLOWED) {
            log.warn("{} queue \"{}\": waitUrl {} failed ({}); hold music for {} s, then asking again",
                    ctx.callSid(), m.queueName(), waitUrl, end, RETRY_AFTER_FAILURE.toSeconds());
            waitFailed = true;
        } else if (walking) {
            long rest = MIN_ROUND.toNanos() - (System.nanoTime() - started);
            padNanos = rest > 0 ? rest : 0;
        } else {
            waitFailed = false;
            padNanos = 0;
        }
        return null;
    }

    /** Without a waitUrl round: hold music, silence, a pause after a short document, or music after a failure. */
    private void hold() {
        if (padNanos > 0) {
            ctx.call().pause(Duration.ofNanos(padNanos));
        } else if (waitFailed) {
            ctx.call().holdMusic(DEFAULT_HOLD_CLASS, RETRY_AFTER_FAILURE);
        } else if (waitUrl == null) {
            ctx.call().holdMusic(DEFAULT_HOLD_CLASS, HOLD_ROUND);
        } else {
            ctx.call().pause(HOLD_ROUND);
        }
    }

    /** The signal another thread left, if any; a hold it stopped interrupted the call, which is ours to clear. */
    private Signal takeSignal(boolean walking) {
        boolean interruptedByUs = !walking && t.queues().stopRan(m); // a stopped walk cleared its own
        Signal s = t.queues().takeSignal(m);
        if (s != null && interruptedByUs) ctx.call().clearInterrupt();
        return s;
    }

    /**
     * Dequeued by an agent: the Queue's url on this call, then the room. Null when the agent went away before it
     * was in (the caller is back at its place); else how it left.
     */
    private Left meet(Handoff h) {
        int queued = (int) Math.max(0, (h.dequeuedNanos - m.enqueuedNanos) / 1_000_000_000L);
        log.info("{} dequeued from \"{}\" by {} after {} s{}", ctx.callSid(), m.queueName(), h.agentSid, queued,
                h.url == null ? "" : "; url " + h.url);
        if (h.url != null) {
            Walk walk = new Walk(ctx.call());
            if (h.callerWalking(walk)) {
                Map<String, String> p = new LinkedHashMap<>();
                p.put("QueueSid", m.queueSid());
                p.put("QueueTime", Integer.toString(queued));
                p.put("DequeingCallSid", h.agentSid);
                WalkEnd end = t.walker().walk(ctx.aside(h.url), new Outcome.Navigate(h.url, h.method, p),
                        WalkPolicy.QUEUE_URL, t.verbs(), walk);
                if (ctx.call().isGone() || end == WalkEnd.CALLER_GONE) {
                    h.callerGone();
                    return Left.of(QueueResult.BRIDGING_IN_PROCESS, queued);
                }
                if (ctx.call().interrupted() && !h.agentFailedBeforeJoining()) {
                    h.callerGone();
                    return new Left(QueueResult.REDIRECTED, queued, null, true);
                }
            }
        }
        if (!h.callerReady()) return backInQueue(queued);
        ConferenceResult r = null;
        try {
            r = ctx.call().conference(t.rooms().place(h.room, QueueRooms.CALLER_LIMIT, (char) 0));
        } catch (CallInterrupted notJoined) {
            // the agent went away just as it was joining, or a live update
        } finally {
            if (h.left(Handoff.Side.CALLER, r != null && r.joined())) ctx.call().clearInterrupt();
        }
        boolean gone = ctx.call().isGone();
        if (!h.agentJoined()) {
            if (gone) return Left.of(QueueResult.BRIDGING_IN_PROCESS, queued);
            if (ctx.call().interrupted()) return new Left(QueueResult.REDIRECTED, queued, null, true);
            return backInQueue(queued);
        }
        log.info("{} bridged with {} for {} s (room {})", ctx.callSid(), h.agentSid, r == null ? 0 : r.seconds(),
                h.room);
        if (!gone && ctx.call().interrupted()) {
            return new Left(QueueResult.REDIRECTED_FROM_BRIDGED, queued, null, true);
        }
        return Left.of(QueueResult.BRIDGED, queued);
    }

    private Left backInQueue(int queued) {
        if (!t.queues().putBack(m)) return Left.of(QueueResult.SYSTEM_SHUTDOWN, queued);
        log.info("{} its agent went away before the bridge: back in queue \"{}\" at position {}", ctx.callSid(),
                m.queueName(), t.queues().position(m));
        waitFailed = false;
        padNanos = 0;
        return null;
    }

    /** Twilio's waitUrl parameters, on top of a Redirect's or Gather's own ({@code from}, or none). */
    private Map<String, String> waitParams(Outcome.Navigate from) {
        QueueSnapshot q = t.queues().queueOf(m);
        Map<String, String> p = new LinkedHashMap<>(from == null ? Map.of() : from.extraParams());
        p.put("QueueSid", q.sid());
        p.put("QueuePosition", Integer.toString(t.queues().position(m)));
        p.put("QueueTime", Integer.toString(m.waitSeconds()));
        p.put("AvgQueueTime", Integer.toString(q.averageWaitSeconds()));
        p.put("CurrentQueueSize", Integer.toString(q.currentSize()));
        p.put("MaxQueueSize", Integer.toString(q.maxSize()));
        return p;
    }

    /** TWIML_QUEUE and TWIML_QUEUE_POSITION on the channel ({@code core show channel}), when the place changed. */
    private void showPosition() {
        int position = t.queues().position(m);
        if (position == shownPosition || position == 0) return;
        shownPosition = position;
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("TWIML_QUEUE", m.queueName());
        vars.put("TWIML_QUEUE_POSITION", Integer.toString(position));
        ctx.call().annotate(vars);
    }

    private void clearAnnotation() {
        if (shownPosition < 0 || ctx.call().isGone()) return;
        try {
            Map<String, String> vars = new LinkedHashMap<>();
            vars.put("TWIML_QUEUE", "");
            vars.put("TWIML_QUEUE_POSITION", "");
            ctx.call().annotate(vars);
        } catch (CallGoneException | CallInterrupted e) {
            // gone meanwhile: nothing to show
        }
    }
}
