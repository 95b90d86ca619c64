package io.twimlagi.queue;

import io.twimlagi.call.CallInterrupted;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.DocumentWalker;
import io.twimlagi.engine.Outcome;
import io.twimlagi.engine.VerbRunner;
import io.twimlagi.metrics.QueueMetrics;
import io.twimlagi.twiml.Enqueue;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.verbs.VerbExecutor;
import io.twimlagi.webhook.CallbackSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <Enqueue>}: the caller waits in the named queue (created on first use, Twilio's default size) hearing the
 * waitUrl document in a loop ({@link QueueCaller}) until it leaves; then the {@code action} gets
 * {@code QueueResult}, {@code QueueSid} and {@code QueueTime} and its TwiML continues the call (no action: the next
 * verb). A full queue is {@code queue-full} at once. When the REST API or a live update took the caller out
 * ({@code redirected}), the new TwiML runs and the action is only told (its response is ignored).
 */
public final class EnqueueExecutor implements VerbExecutor<Enqueue> {
    private static final Logger log = LoggerFactory.getLogger(EnqueueExecutor.class);

    private final QueueCaller.Tools tools;
    private final CallbackSender callbacks;

    /** {@code verbs} runs the wait and Queue url documents' verbs (Play, Say, Pause, Gather, Redirect, Hangup). */
    public EnqueueExecutor(QueueRegistry queues, DocumentWalker walker, VerbRunner verbs, QueueRooms rooms,
                           QueueMetrics metrics, CallbackSender callbacks) {
        this.tools = new QueueCaller.Tools(queues, walker, verbs, rooms, metrics);
        this.callbacks = callbacks;
    }

    @Override
    public Outcome execute(Enqueue e, CallContext ctx) {
        String name = e.queueName() == null ? "" : e.queueName();
        if (e.workflowSid() != null || e.task() != null) {
            log.error("{} error 14226: <Enqueue workflowSid>/<Task> (TaskRouter) is not supported by twiml-agi "
                    + "(line {}); QueueResult=error", ctx.callSid(), e.line());
            return after(e, ctx, QueueCaller.Left.of(QueueResult.ERROR, 0), null);
        }
        if (name.isEmpty() || name.length() > QueueRegistry.MAX_NAME) {
            log.error("{} error {}: <Enqueue> queue name {} (line {}); QueueResult=error", ctx.callSid(),
                    name.isEmpty() ? 14204 : 14205, name.isEmpty() ? "is empty" : "is longer than 64 characters",
                    e.line());
            return after(e, ctx, QueueCaller.Left.of(QueueResult.ERROR, 0), null);
        }
        ctx.call().answer();
        QueueRegistry.Admission a = tools.queues().enqueue(name, e.maxQueueSize(), ctx.callSid(), ctx.call());
        if (a.member() == null) {
            QueueResult r = switch (a.refusal()) {
                case FULL -> QueueResult.QUEUE_FULL;
                case SHUTTING_DOWN -> QueueResult.SYSTEM_SHUTDOWN;
                case TOO_MANY_QUEUES -> QueueResult.ERROR;
            };
            if (a.refusal() == QueueRegistry.Refusal.FULL) {
                log.warn("{} warning 14207: queue \"{}\" ({}) is full; QueueResult=queue-full", ctx.callSid(), name,
                        a.queueSid());
            } else {
                log.error("{} <Enqueue> \"{}\" refused ({}); QueueResult={}", ctx.callSid(), name, a.refusal(),
                        r.value);
            }
            return after(e, ctx, QueueCaller.Left.of(r, 0), a.queueSid());
        }
        Member m = a.member();
        String waitUrl = e.waitUrl() == null ? null : e.waitUrl().isEmpty() ? "" : ctx.resolve(e.waitUrl());
        log.info("{} Enqueue \"{}\" ({}): position {}, waitUrl {}", ctx.callSid(), name, m.queueSid(),
                tools.queues().position(m), waitUrl == null ? "none (hold music)" : waitUrl.isEmpty() ? "\"\" (silence)"
                        : waitUrl);
        QueueCaller.Left left = new QueueCaller(tools, m, ctx, waitUrl, e.waitUrlMethod()).run();
        return after(e, ctx, left, m.queueSid());
    }

    /** The action (or the next verb); after a redirect, the new TwiML and the action only told. */
    private Outcome after(Enqueue e, CallContext ctx, QueueCaller.Left left, String queueSid) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("QueueResult", left.result().value);
        if (queueSid != null) params.put("QueueSid", queueSid);
        params.put("QueueTime", Integer.toString(left.queueSeconds()));
        String action = e.action() == null ? null : ctx.resolve(e.action());
        // a caller who hung up still gets its action requested (its response has no call to run on)
        if (left.redirectTo() != null || left.live() || ctx.call().isGone()) {
            if (action != null) tell(callbacks, ctx, "Enqueue action", action, e.method(), params);
            if (ctx.call().isGone()) return Outcome.END;
            if (left.live()) throw new CallInterrupted(); // the walk takes the update
            return left.redirectTo();
        }
        if (action != null) return new Outcome.Navigate(action, e.method(), params);
        return Outcome.NEXT;
    }

    /**
     * Requests an action whose TwiML will not run (the call is gone or runs other TwiML), as a signed callback: a
     * call's own document fetches stop once its caller hung up.
     */
    static void tell(CallbackSender callbacks, CallContext ctx, String what, String url, HttpMethod method,
                     Map<String, String> params) {
        Map<String, String> all = new LinkedHashMap<>(ctx.params());
        all.putAll(params);
        callbacks.send(ctx.callSid(), what, url, method, all);
    }
}
