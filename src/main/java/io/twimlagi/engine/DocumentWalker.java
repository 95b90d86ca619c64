package io.twimlagi.engine;

import io.twimlagi.call.CallGoneException;
import io.twimlagi.call.CallInterrupted;
import io.twimlagi.twiml.Dial;
import io.twimlagi.twiml.Document;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.Redirect;
import io.twimlagi.twiml.Verb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one way TwiML documents are walked: fetch a document, run its verbs in order, follow the {@link Outcome}
 * a verb returns (a Redirect or an action URL is the next document) until the verbs run out, under a
 * {@link WalkPolicy} (which verbs, how many documents, how long). A call's own TwiML, a Dial's screening url and
 * a conference's wait documents are walks; a {@link Walk} handle lets another thread redirect or stop one.
 * Plain sequential code on the walking thread.
 */
public final class DocumentWalker {
    private static final Logger log = LoggerFactory.getLogger(DocumentWalker.class);
    /** Time limits: each fires once and only interrupts (a flag and, on AGI, one NOOP). */
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "walk-timer");
        t.setDaemon(true);
        return t;
    });

    private final DocumentFetcher fetcher;

    public DocumentWalker(DocumentFetcher fetcher) {
        this.fetcher = fetcher;
    }

    /** Walks from {@code start} with no outside handle. */
    public WalkEnd walk(CallContext ctx, Outcome start, WalkPolicy policy, VerbRunner runner) {
        return walk(ctx, start, policy, runner, new Walk(ctx.call()));
    }

    /** Walks from {@code start}: a {@link Outcome.Navigate} (fetched) or an {@link Outcome.Inline} document. */
    public WalkEnd walk(CallContext ctx, Outcome start, WalkPolicy policy, VerbRunner runner, Walk walk) {
        // the timer interrupts a command in progress at the limit; the checks between steps make it exact
        ScheduledFuture<?> timer = policy.timeLimit() == null ? null
                : TIMERS.schedule(() -> walk.stop(WalkEnd.TIME_UP), policy.timeLimit().toNanos(), TimeUnit.NANOSECONDS);
        long deadline = policy.timeLimit() == null ? 0 : System.nanoTime() + policy.timeLimit().toNanos();
        DocumentFetcher.ForCall documents = fetcher.forCall(ctx.domain().fileRoot());
        walk.whileWalking(documents::cancel);
        try {
            Outcome next = start;
            int fetched = 0;
            int inARow = 0;
            while (true) {
                if (timer != null && System.nanoTime() - deadline >= 0) walk.stop(WalkEnd.TIME_UP);
                if (walk.stopped() != null) return stopped(ctx, policy, walk.stopped());
                if (!ctx.call().isGone()) {
                    Outcome handedOver = walk.takeRedirect();
                    if (handedOver != null) {
                        log.info("{} {}: redirected from outside{}", ctx.callSid(), policy.name(),
                                handedOver instanceof Outcome.Navigate n ? " to " + n.url() : " (inline TwiML)");
                        next = handedOver;
                        inARow = 0;
                    }
                }
                if (!(next instanceof Outcome.Navigate || next instanceof Outcome.Inline)) {
                    return next == Outcome.NEXT ? WalkEnd.DOCUMENTS_RAN_OUT : WalkEnd.ENDED;
                }
                if (++fetched > policy.maxDocuments() || ++inARow > policy.maxRedirectsInARow()) {
                    log.error("{} error 13710: {}: more than {} documents (Redirect loop)", ctx.callSid(),
                            policy.name(), fetched > policy.maxDocuments() ? policy.maxDocuments()
                                    : policy.maxRedirectsInARow());
                    return WalkEnd.TOO_MANY_DOCUMENTS;
                }
                Document doc;
                if (next instanceof Outcome.Inline inline) {
                    doc = inline.document();
                    ctx.documentUrl("");
                } else {
                    Outcome.Navigate nav = (Outcome.Navigate) next;
                    doc = load(ctx, documents, nav, policy);
                    if (doc == null && ctx.call().isGone()) { // the fetch was abandoned: the caller hung up
                        log.info("{} caller hung up while {} was being fetched", ctx.callSid(), nav.url());
                        return WalkEnd.CALLER_GONE;
                    }
                    if (doc == null) return WalkEnd.FETCH_FAILED;
                    if (ctx.call().isGone()) { // e.g. Record's action after a hangup: requested, response ignored
                        log.info("{} caller already gone: response from {} ignored", ctx.callSid(), nav.url());
                        return WalkEnd.CALLER_GONE;
                    }
                }
                next = Outcome.NEXT;
                for (Verb verb : doc.verbs()) {
                    if (timer != null && System.nanoTime() - deadline >= 0) walk.stop(WalkEnd.TIME_UP);
                    if (walk.hasRedirect() || walk.stopped() != null) break;
                    if (!policy.allows(verb)) {
                        log.error("{} error {}: <{}> is not allowed in a {} document (line {}){}", ctx.callSid(),
                                verb instanceof Dial ? 13201 : 12100, verb.name(), policy.name(), verb.line(),
                                policy.skipNotAllowed() ? "; skipped" : "");
                        if (policy.skipNotAllowed()) continue;
                        return WalkEnd.VERB_NOT_ALLOWED;
                    }
                    if (policy.ends(verb)) {
                        log.info("{} {}: <{}> ends it (line {})", ctx.callSid(), policy.name(), verb.name(),
                                verb.line());
                        return WalkEnd.ENDING_VERB;
                    }
                    try {
                        next = runner.run(verb, ctx);
                    } catch (CallInterrupted interrupted) {
                        next = Outcome.NEXT; // the top of the loop takes what interrupted it
                        break;
                    }
                    if (!(verb instanceof Redirect)) inARow = 0;
                    if (next != Outcome.NEXT) break;
                }
            }
        } catch (CallGoneException gone) {
            if (walk.stopped() == WalkEnd.TIME_UP) return stopped(ctx, policy, WalkEnd.TIME_UP);
            log.info("{} caller hung up", ctx.callSid());
            return WalkEnd.CALLER_GONE;
        } finally {
            if (timer != null) timer.cancel(false);
            walk.finished();
        }
    }

    private static WalkEnd stopped(CallContext ctx, WalkPolicy policy, WalkEnd why) {
        if (why == WalkEnd.TIME_UP) {
            log.warn("{} {} ran over {} s; ended", ctx.callSid(), policy.name(), policy.timeLimit().toSeconds());
        } else {
            log.info("{} {} stopped from outside", ctx.callSid(), policy.name());
        }
        return why;
    }

    /** Fetches a document; on failure tries the domain's fallback URL once when the policy says so; null: failed. */
    private static Document load(CallContext ctx, DocumentFetcher.ForCall documents, Outcome.Navigate nav,
                                 WalkPolicy policy) {
        Map<String, String> params = new LinkedHashMap<>(ctx.params());
        params.putAll(nav.extraParams());
        long start = System.nanoTime();
        boolean afterHangup = ctx.call().isGone(); // e.g. Record's action: requested whatever else reports the hangup
        try {
            return fetched(ctx, documents.fetch(nav.url(), nav.method(), params, afterHangup), nav.method());
        } catch (FetchException e) {
            ctx.progress().fetch("error" + e.code(), (System.nanoTime() - start) / 1_000_000);
            log.warn("{} {}: fetch {} {} failed: error {} {}", ctx.callSid(), policy.name(), nav.method(), nav.url(),
                    e.code(), e.getMessage());
            String fallback = ctx.domain().voiceFallbackUrl();
            if (!policy.fallback() || fallback == null || fallback.isBlank()) return null;
            params.put("ErrorCode", Integer.toString(e.code()));
            params.put("ErrorUrl", e.url());
            HttpMethod method = ctx.domain().voiceFallbackMethod();
            long fallbackStart = System.nanoTime();
            try {
                return fetched(ctx, documents.fetch(fallback, method, params, afterHangup), method);
            } catch (FetchException f) {
                ctx.progress().fetch("error" + f.code(), (System.nanoTime() - fallbackStart) / 1_000_000);
                log.warn("{} fallback {} {} failed: error {} {}", ctx.callSid(), method, fallback, f.code(),
                        f.getMessage());
                return null;
            }
        }
    }

    private static Document fetched(CallContext ctx, DocumentFetcher.Fetched f, HttpMethod method) {
        ctx.documentUrl(f.url());
        ctx.progress().fetch(Integer.toString(f.status()), f.millis());
        log.info("{} fetch {} {} -> {} in {} ms, {} verbs", ctx.callSid(), method, f.url(), f.status(), f.millis(),
                f.document().verbs().size());
        f.document().warnings().forEach(w -> log.warn("{} {} line {}: warning {} {}", ctx.callSid(), f.url(),
                w.line(), w.code(), w.message()));
        return f.document();
    }
}
