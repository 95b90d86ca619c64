package io.twimlagi.engine;

import io.twimlagi.config.Domain;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.webhook.UrlPolicy;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call's state, passed along instead of globals: who called, which domain answers, the current document.
 * Only the interpreter changes {@link #documentUrl()}.
 */
public final class CallContext {
    private final Call call;
    private final String callSid;
    private final String accountSid;
    private final SipInvite invite;
    private final Domain domain;
    private String documentUrl;
    private final CallProgress progress = new CallProgress();
    /** Status callbacks: the completed one goes out once; SequenceNumber counts 0, 1, 2... */
    final java.util.concurrent.atomic.AtomicBoolean completedSent = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicInteger sequence = new java.util.concurrent.atomic.AtomicInteger();

    public CallContext(Call call, String callSid, String accountSid, SipInvite invite, Domain domain) {
        this.call = call;
        this.callSid = callSid;
        this.accountSid = accountSid;
        this.invite = invite;
        this.domain = domain;
        this.documentUrl = domain.voiceUrl();
        call.onAnswer(() -> {
            progress.answered();
            answerHook.run();
        });
    }

    private Runnable answerHook = () -> { };
    private Map<String, String> extraParams = Map.of();

    /** Parameters every request of this call adds or overrides (a Dial's child leg: Direction, ParentCallSid). */
    public CallContext withParams(Map<String, String> params) {
        this.extraParams = Map.copyOf(params);
        return this;
    }

    /** Runs once when the call is answered, after the call's progress noted it (status callbacks). */
    public void onAnswer(Runnable hook) {
        this.answerHook = hook;
    }

    public Call call() {
        return call;
    }

    public String callSid() {
        return callSid;
    }

    int nextSequenceNumber() {
        return sequence.getAndIncrement();
    }

    public CallProgress progress() {
        return progress;
    }

    public SipInvite invite() {
        return invite;
    }

    public Domain domain() {
        return domain;
    }

    /** The URL of the document being executed; relative URLs in it resolve against this. */
    public String documentUrl() {
        return documentUrl;
    }

    void documentUrl(String url) {
        this.documentUrl = url;
    }

    /** Resolves a URL written in the current document ({@code ../next}, {@code /abs}, {@code https://...}). */
    public String resolve(String url) {
        return resolve(documentUrl, url);
    }

    /**
     * Resolves {@code url} against the document at {@code base}; a blank one is {@code base}. A URL the document
     * may not name ({@link UrlPolicy#named}: a file: URL in an HTTP document) comes back marked as refused, and
     * every fetcher and callback refuses it as an unreachable URL.
     */
    public static String resolve(String base, String url) {
        String u = url == null ? "" : url.trim();
        if (u.isEmpty()) return base;
        try {
            return UrlPolicy.named(base, URI.create(base).resolve(URI.create(u.replace(" ", "%20"))).toString());
        } catch (IllegalArgumentException e) {
            return UrlPolicy.named(base, u); // not a URI reference: the fetch fails with a clear 11100 instead
        }
    }

    /** Twilio's standard request parameters plus the SIP-domain ones; CallStatus follows the call's state. */
    public Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", accountSid);
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", callSid);
        p.put("CallStatus", call.isGone() ? "completed" : call.isAnswered() ? "in-progress" : "ringing");
        p.put("Called", invite.to());
        p.put("Caller", invite.from());
        p.put("Direction", "inbound");
        p.put("From", invite.from());
        p.put("To", invite.to());
        p.put("SipCallId", invite.callId());
        p.put("SipDomain", invite.domain());
        p.put("SipDomainSid", domain.sid());
        p.put("SipSourceIp", invite.sourceIp());
        invite.xHeaders().forEach((name, value) -> p.put("SipHeader_" + name, value));
        p.putAll(extraParams);
        return p;
    }
}
