package io.twimlagi.engine;

import io.twimlagi.call.Call;
import io.twimlagi.config.Domain;
import io.twimlagi.sip.SipInvite;
import io.twimlagi.webhook.UrlPolicy;

import java.net.URI;
import java.util.Map;

/**
 * One call's state, passed along instead of globals: who the call is ({@link CallIdentity}), the call itself, what
 * happened on it so far and the document being run. Building one has no effect on the call. Only the document
 * walker changes {@link #documentUrl()}.
 */
public final class CallContext {
    private final Call call;
    private final CallIdentity identity;
    private final CallProgress progress;
    private String documentUrl;

    public CallContext(Call call, CallIdentity identity) {
        this(call, identity, new CallProgress(), identity.domain().voiceUrl());
    }

    /** An inbound call (tests and tools). */
    public CallContext(Call call, String callSid, String accountSid, SipInvite invite, Domain domain) {
        this(call, CallIdentity.inbound(callSid, accountSid, invite, domain));
    }

    private CallContext(Call call, CallIdentity identity, CallProgress progress, String documentUrl) {
        this.call = call;
        this.identity = identity;
        this.progress = progress;
        this.documentUrl = documentUrl;
    }

    /**
     * The same call for a walk of its own (a conference's wait documents): same identity and progress, its own
     * current document, so relative URLs there do not disturb the call's.
     */
    public CallContext aside(String startUrl) {
        return new CallContext(call, identity, progress, startUrl);
    }

    public Call call() {
        return call;
    }

    public CallIdentity identity() {
        return identity;
    }

    public String callSid() {
        return identity.callSid();
    }

    public String accountSid() {
        return identity.accountSid();
    }

    public CallProgress progress() {
        return progress;
    }

    public SipInvite invite() {
        return identity.invite();
    }

    public Domain domain() {
        return identity.domain();
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

    /** Twilio's request parameters; CallStatus follows the call's state. */
    public Map<String, String> params() {
        return identity.params(call.isGone() ? "completed" : call.isAnswered() ? "in-progress" : "ringing");
    }
}
