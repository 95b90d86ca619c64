package io.twimlagi.queue;

import io.twimlagi.call.CallGoneException;
import io.twimlagi.call.CallInterrupted;
import io.twimlagi.call.ConferenceResult;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.Dial;
import io.twimlagi.twiml.DialNoun;
import io.twimlagi.twiml.Queue;
import io.twimlagi.verbs.VerbExecutor;
import io.twimlagi.webhook.CallbackSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <Dial><Queue>}: the agent's call takes the caller first in line and talks with it ({@link Handoff}: the
 * caller runs the Queue's {@code url} first, then both meet in a private ConfBridge room). As on Twilio, an empty
 * queue is waited on until someone enqueues or the Dial's {@code timeout} runs out ({@code no-answer}), and a queue
 * that does not exist is an error status at once ({@code failed}). A caller who hangs up before the bridge is
 * skipped for the next one. Afterwards the Dial's {@code action} gets {@code DialCallStatus}
 * ({@code completed}), {@code DialCallSid} (the dequeued call's), {@code DialCallDuration}, {@code DialBridged} and
 * {@code QueueSid}; no action: the next verb.
 */
public final class QueueDialer implements VerbExecutor<Dial> {
    private static final Logger log = LoggerFactory.getLogger(QueueDialer.class);
    /** How often a waiting agent looks at the queue (and at its own call: a hangup, a live update). */
    static final Duration POLL = Duration.ofMillis(200);
    /** Twilio's default and cap of a Dial's timeLimit. */
    static final int MAX_TIME_LIMIT = 14400;

    private final QueueRegistry queues;
    private final QueueRooms rooms;
    private final CallbackSender callbacks;

    public QueueDialer(QueueRegistry queues, QueueRooms rooms, CallbackSender callbacks) {
        this.queues = queues;
        this.rooms = rooms;
        this.callbacks = callbacks;
    }

    /** True when this Dial dials a queue (its other nouns, if any, are then skipped). */
    public static boolean dialsQueue(Dial dial) {
        return dial.nouns().stream().anyMatch(n -> n instanceof Queue);
    }

    @Override
    public Outcome execute(Dial dial, CallContext ctx) {
        Queue noun = (Queue) dial.nouns().stream().filter(n -> n instanceof Queue).findFirst().orElseThrow();
        if (dial.nouns().size() > 1) {
            log.error("{} <Queue> must be the only noun of its <Dial> (line {}); only the queue is dialed",
                    ctx.callSid(), dial.line());
        }
        for (DialNoun n : dial.nouns()) {
            if (n instanceof Queue q && (q.reservationSid() != null || q.postWorkActivitySid() != null)) {
                log.warn("{} error 14219: <Queue reservationSid/postWorkActivitySid> (TaskRouter) is not supported; "
                        + "dialing the queue by its name", ctx.callSid());
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        String name = noun.name() == null ? "" : noun.name();
        if (name.isEmpty() || name.length() > QueueRegistry.MAX_NAME) {
            log.error("{} error {}: <Queue> name {} (line {})", ctx.callSid(), name.isEmpty() ? 14212 : 14213,
                    name.isEmpty() ? "is empty" : "is longer than 64 characters", noun.line());
            return after(dial, ctx, failed(params));
        }
        Optional<String> queueSid = queues.sidOf(name);
        if (queueSid.isEmpty()) {
            log.error("{} Dial <Queue> \"{}\": no such queue; DialCallStatus=failed", ctx.callSid(), name);
            return after(dial, ctx, failed(params));
        }
        params.put("QueueSid", queueSid.get());
        String url = noun.url() == null ? null : ctx.resolve(noun.url());
        long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(1, dial.timeout())).toNanos();
        log.info("{} Dial <Queue> \"{}\" ({}), timeout {} s", ctx.callSid(), name, queueSid.get(), dial.timeout());
        try {
            return dialQueue(dial, noun, ctx, name, queueSid.get(), url, deadline, params);
        } catch (CallGoneException gone) { // the agent hung up before a bridge: the action still hears of it
            log.info("{} Dial <Queue> \"{}\": the agent hung up before a bridge", ctx.callSid(), name);
            params.put("DialCallStatus", "canceled");
            params.put("DialBridged", "false");
            return after(dial, ctx, params);
        }
    }

    private Outcome dialQueue(Dial dial, Queue noun, CallContext ctx, String name, String queueSid, String url,
                              long deadline, Map<String, String> params) {
        while (true) {
            Handoff h = queues.dequeueFront(queueSid,
                    m -> new Handoff(QueueRooms.newRoom(), m, ctx.callSid(), ctx.call(), url, noun.method()));
            if (h == null) {
                if (System.nanoTime() - deadline >= 0) {
                    log.info("{} Dial <Queue> \"{}\": nobody in line within {} s", ctx.callSid(), name,
                            dial.timeout());
                    params.put("DialCallStatus", "no-answer");
                    params.put("DialBridged", "false");
                    return after(dial, ctx, params);
                }
                ctx.call().pause(POLL);
                continue;
            }
            ConferenceResult r = meet(h, dial, ctx);
            if (r != null) {
                params.put("DialCallStatus", "completed");
                params.put("DialCallSid", h.caller.callSid);
                params.put("DialCallDuration", Integer.toString(r.seconds()));
                params.put("DialBridged", "true");
                return after(dial, ctx, params);
            }
            log.info("{} Dial <Queue> \"{}\": {} left before the bridge; taking the next caller", ctx.callSid(),
                    name, h.caller.callSid);
        }
    }

    /** Meets the dequeued caller in their room; null when the caller went away before it joined. */
    private ConferenceResult meet(Handoff h, Dial dial, CallContext ctx) {
        log.info("{} dequeued {} from queue \"{}\" after {} s in line; room {}", ctx.callSid(), h.caller.callSid,
                h.caller.queueName(), (h.dequeuedNanos - h.caller.enqueuedNanos) / 1_000_000_000L, h.room);
        try {
            while (h.progress() == Handoff.Progress.STARTING) ctx.call().pause(POLL); // the caller's url runs
        } catch (RuntimeException agentGone) { // a hangup, a live update: the caller goes back to its place
            h.agentFailed();
            throw agentGone;
        }
        if (!h.agentEnters()) return null;
        int limit = dial.timeLimit() <= 0 ? MAX_TIME_LIMIT : Math.min(dial.timeLimit(), MAX_TIME_LIMIT);
        ConferenceResult r = null;
        try {
            r = ctx.call().conference(rooms.place(h.room, Duration.ofSeconds(limit), dial.hangupOnStar() ? '*' : 0));
            return r;
        } finally {
            if (h.left(Handoff.Side.AGENT, r != null && r.joined())) ctx.call().clearInterrupt();
        }
    }

    private static Map<String, String> failed(Map<String, String> params) {
        params.put("DialCallStatus", "failed");
        params.put("DialBridged", "false");
        return params;
    }

    /**
     * The Dial's action, or the next verb; a live update during it replaces both; an agent who hung up still gets
     * the action requested.
     */
    private Outcome after(Dial dial, CallContext ctx, Map<String, String> params) {
        String action = dial.action() == null ? null : ctx.resolve(dial.action());
        if (ctx.call().isGone()) {
            if (action != null) EnqueueExecutor.tell(callbacks, ctx, "Dial action", action, dial.method(), params);
            return Outcome.END;
        }
        if (ctx.call().interrupted()) throw new CallInterrupted();
        if (action != null) return new Outcome.Navigate(action, dial.method(), params);
        return Outcome.NEXT;
    }
}
