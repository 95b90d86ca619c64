package io.twimlagi.engine;

import io.twimlagi.sip.RejectCodes;
import io.twimlagi.twiml.Document;
import io.twimlagi.twiml.Hangup;
import io.twimlagi.twiml.Redirect;
import io.twimlagi.twiml.Reject;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.Verb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one call: fetch a document, execute its verbs in order, follow Redirect/action to the next document,
 * hang up when the verbs run out. Plain sequential code on the call's own thread.
 */
public final class Interpreter {
    private static final Logger log = LoggerFactory.getLogger(Interpreter.class);
    /** Documents fetched in a row without any other verb running: a Redirect loop. Twilio publishes no number. */
    static final int MAX_CONSECUTIVE_REDIRECTS = 50;

    private final DocumentFetcher fetcher;
    private final Executors executors;
    private final ApplicationError applicationError;

    public Interpreter(DocumentFetcher fetcher, Executors executors, ApplicationError applicationError) {
        this.fetcher = fetcher;
        this.executors = executors;
        this.applicationError = applicationError;
    }

    public void run(CallContext ctx) {
        if (ctx.domain().voiceUrl() == null) {
            log.error("{} no voice_url for SIP domain {}: rejecting", ctx.callSid(), ctx.invite().domain());
            ctx.progress().rejected(RejectCodes.REJECTED.sipCode);
            ctx.call().reject(RejectCodes.REJECTED.sipCode);
            return;
        }
        DocumentFetcher.ForCall documents = fetcher.forCall(ctx.domain().fileRoot());
        try {
            Outcome next = new Outcome.Navigate(ctx.domain().voiceUrl(), ctx.domain().voiceMethod(), Map.of());
            int redirectsInARow = 0;
            while (next instanceof Outcome.Navigate nav) {
                if (++redirectsInARow > MAX_CONSECUTIVE_REDIRECTS) {
                    log.error("{} error 13710: more than {} documents without a verb in between (Redirect loop)",
                            ctx.callSid(), MAX_CONSECUTIVE_REDIRECTS);
                    applicationError.handle(ctx);
                    return;
                }
                Document doc = load(ctx, documents, nav);
                if (doc == null) return; // the application error was already handled
                if (ctx.call().isGone()) { // e.g. Record's action after a hangup: requested, response ignored
                    log.info("{} caller already gone: response from {} ignored", ctx.callSid(), nav.url());
                    return;
                }
                next = Outcome.NEXT;
                for (Verb verb : doc.verbs()) {
                    next = execute(ctx, verb);
                    if (!(verb instanceof Redirect)) redirectsInARow = 0;
                    if (next != Outcome.NEXT) break;
                }
            }
            if (next == Outcome.NEXT) { // ran out of verbs: the document's end hangs up, like <Hangup/>
                log.info("{} end of document, hanging up", ctx.callSid());
                ctx.call().answer(); // like <Hangup/>: Twilio answers, then ends the call
                ctx.call().hangup();
            }
        } catch (CallGoneException gone) {
            log.info("{} caller hung up", ctx.callSid());
        }
    }

    /** The verbs a screening document may use (Twilio: Play, Say, Gather, Hangup; Pause and Redirect as well). */
    private static final java.util.Set<String> SCREENING_VERBS =
            java.util.Set.of("Play", "Say", "Gather", "Hangup", "Pause", "Redirect");

    /**
     * Runs a Dial noun's screening {@code url} on the called party ({@code ctx} is the child leg's, its call the
     * callee) and tells whether to connect it: the documents running out means connect; {@code <Hangup>}, a failed
     * fetch, a verb not allowed there (error 13201 for Dial) or the callee hanging up mean not connected.
     */
    public boolean screen(CallContext ctx, String url, HttpMethod method) {
        return screen(ctx, url, method, SCREENING_LIMIT);
    }

    /**
     * How long a screening may keep the callee (and the waiting caller, whose hangup Asterisk only reports when
     * the screening ends): checked before each document and verb.
     */
    static final java.time.Duration SCREENING_LIMIT = java.time.Duration.ofMinutes(5);

    boolean screen(CallContext ctx, String url, HttpMethod method, java.time.Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        ScreenedCall callee = (ScreenedCall) ctx.call();
        callee.bound(limit);
        DocumentFetcher.ForCall documents = fetcher.forCall(ctx.domain().fileRoot());
        try {
            Outcome next = new Outcome.Navigate(url, method, Map.of());
            int documentsLeft = MAX_CONSECUTIVE_REDIRECTS;
            while (next instanceof Outcome.Navigate nav && documentsLeft-- > 0) {
                if (System.nanoTime() - deadline >= 0) return overtime(ctx, limit);
                Map<String, String> params = new LinkedHashMap<>(ctx.params());
                params.putAll(nav.extraParams());
                Document doc = fetched(ctx, documents.fetch(nav.url(), nav.method(), params), nav.method());
                next = Outcome.NEXT;
                for (Verb verb : doc.verbs()) {
                    if (!SCREENING_VERBS.contains(verb.name())) {
                        log.error("{} error {}: <{}> is not allowed in a screening document (line {}); not "
                                + "connecting", ctx.callSid(), verb.name().equals("Dial") ? 13201 : 12100,
                                verb.name(), verb.line());
                        return false;
                    }
                    if (System.nanoTime() - deadline >= 0) return overtime(ctx, limit);
                    next = execute(ctx, verb);
                    if (next != Outcome.NEXT) break;
                }
            }
            boolean connect = next == Outcome.NEXT && !callee.isGone();
            log.info("{} screening done: {}", ctx.callSid(), connect ? "connecting" : "not connecting");
            return connect;
        } catch (FetchException e) {
            log.warn("{} screening fetch failed: error {} {}; not connecting", ctx.callSid(), e.code(), e.getMessage());
            return false;
        } catch (CallGoneException gone) {
            if (System.nanoTime() - deadline >= 0) return overtime(ctx, limit);
            log.info("{} the called party hung up during screening", ctx.callSid());
            return false;
        }
    }

    private static boolean overtime(CallContext ctx, java.time.Duration limit) {
        log.warn("{} screening ran over {} s; not connecting", ctx.callSid(), limit.toSeconds());
        return false;
    }

    /** Wraps the called party for {@link #screen}. */
    public static Call screened(Call callee) {
        return new ScreenedCall(callee);
    }

    private Outcome execute(CallContext ctx, Verb verb) {
        if (AnswerRule.answers(verb) && executors.supports(verb)) ctx.call().answer();
        if (!(verb instanceof Reject || verb instanceof Redirect || verb instanceof Hangup)) {
            ctx.call().annotate(operatorView(ctx, verb)); // verbs that take time show in "core show channel"
        }
        log.info("{} verb {} (line {})", ctx.callSid(), verb.name(), verb.line());
        ctx.progress().verb(verb.name());
        return executors.execute(verb, ctx);
    }

    private static Map<String, String> operatorView(CallContext ctx, Verb verb) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("TWIML_CALLSID", ctx.callSid());
        vars.put("TWIML_URL", ctx.documentUrl());
        vars.put("TWIML_VERB", verb.name());
        return vars;
    }

    /** Fetches a document; on failure tries the domain's fallback URL once; null when both failed. */
    private Document load(CallContext ctx, DocumentFetcher.ForCall documents, Outcome.Navigate nav) {
        Map<String, String> params = new LinkedHashMap<>(ctx.params());
        params.putAll(nav.extraParams());
        long start = System.nanoTime();
        try {
            return fetched(ctx, documents.fetch(nav.url(), nav.method(), params), nav.method());
        } catch (FetchException e) {
            ctx.progress().fetch("error" + e.code(), (System.nanoTime() - start) / 1_000_000);
            log.warn("{} fetch {} {} failed: error {} {}", ctx.callSid(), nav.method(), nav.url(), e.code(),
                    e.getMessage());
            String fallback = ctx.domain().voiceFallbackUrl();
            if (fallback == null || fallback.isBlank()) {
                applicationError.handle(ctx);
                return null;
            }
            params.put("ErrorCode", Integer.toString(e.code()));
            params.put("ErrorUrl", e.url());
            HttpMethod method = ctx.domain().voiceFallbackMethod();
            long fallbackStart = System.nanoTime();
            try {
                return fetched(ctx, documents.fetch(fallback, method, params), method);
            } catch (FetchException f) {
                ctx.progress().fetch("error" + f.code(), (System.nanoTime() - fallbackStart) / 1_000_000);
                log.warn("{} fallback {} {} failed: error {} {}", ctx.callSid(), method, fallback, f.code(),
                        f.getMessage());
                applicationError.handle(ctx);
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
