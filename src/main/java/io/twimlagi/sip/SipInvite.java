package io.twimlagi.sip;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the server knows of the INVITE that created a call, in the form Twilio's SIP-domain webhook reports it.
 *
 * @param to        the Request-URI without port, parameters or headers ({@code sip:+15551234567@pbx.example.com})
 * @param from      the From header's URI, same normalisation
 * @param domain    the Request-URI host, lower-case
 * @param callId    the INVITE's Call-ID
 * @param sourceIp  the IP the INVITE came from, without port
 * @param xHeaders  each {@code X-} header (and {@code User-to-User}) by the name as sent, in arrival order
 * @param endpoint  the PJSIP endpoint Asterisk identified the caller as (pjsip.conf identify/auth), "" if unknown
 */
public record SipInvite(String to, String from, String domain, String callId, String sourceIp,
                        Map<String, String> xHeaders, String endpoint) {
    public SipInvite {
        xHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(xHeaders));
        endpoint = endpoint == null ? "" : endpoint;
    }

    /** Without a known endpoint (a Dial's child leg, tests). */
    public SipInvite(String to, String from, String domain, String callId, String sourceIp,
                     Map<String, String> xHeaders) {
        this(to, from, domain, callId, sourceIp, xHeaders, "");
    }
}
