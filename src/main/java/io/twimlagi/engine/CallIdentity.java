package io.twimlagi.engine;

import io.twimlagi.config.Domain;
import io.twimlagi.sip.SipInvite;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who a call is, as Twilio's request parameters present it; fixed for the call's life. {@code direction} is
 * {@code inbound} for a SIP call that arrived, {@code outbound-dial} for a Dial's child leg (then
 * {@code parentCallSid} is the caller's CallSid); {@code invite} describes the leg's INVITE as Twilio reports it.
 */
public record CallIdentity(String callSid, String accountSid, SipInvite invite, Domain domain, String direction,
                           String parentCallSid) {
    public static final String INBOUND = "inbound";
    public static final String OUTBOUND_DIAL = "outbound-dial";
    public static final String OUTBOUND_API = "outbound-api";

    public static CallIdentity inbound(String callSid, String accountSid, SipInvite invite, Domain domain) {
        return new CallIdentity(callSid, accountSid, invite, domain, INBOUND, null);
    }

    /**
     * A call the REST API (or an operator) started: {@code invite} holds To and From (the SIP fields are not
     * reported: Twilio sends none for such calls); {@code domain} carries the call's own Url, fallback and status
     * callback.
     */
    public static CallIdentity outboundApi(String callSid, String accountSid, SipInvite invite, Domain domain) {
        return new CallIdentity(callSid, accountSid, invite, domain, OUTBOUND_API, null);
    }

    /** A child leg of this call: its own CallSid and INVITE, the same account and domain. */
    public CallIdentity child(String childSid, SipInvite childInvite) {
        return new CallIdentity(childSid, accountSid, childInvite, domain, OUTBOUND_DIAL, callSid);
    }

    /** Twilio's standard request parameters plus the SIP-domain ones, with this {@code callStatus}. */
    public Map<String, String> params(String callStatus) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", accountSid);
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", callSid);
        p.put("CallStatus", callStatus);
        p.put("Called", invite.to());
        p.put("Caller", invite.from());
        p.put("Direction", direction);
        p.put("From", invite.from());
        p.put("To", invite.to());
        if (OUTBOUND_API.equals(direction)) return p;
        p.put("SipCallId", invite.callId());
        p.put("SipDomain", invite.domain());
        p.put("SipDomainSid", domain.sid());
        p.put("SipSourceIp", invite.sourceIp());
        invite.xHeaders().forEach((name, value) -> p.put("SipHeader_" + name, value));
        if (parentCallSid != null) p.put("ParentCallSid", parentCallSid);
        return p;
    }
}
