package io.twimlagi.config;

import io.twimlagi.util.AddressList;

import java.util.Set;

/**
 * Which calls a SIP domain admits, like a Twilio SIP Domain's IP access-control lists and credential lists:
 * {@code acl} (null = any source) on the INVITE's source address (SipSourceIp), {@code endpoints} (empty = any)
 * on the PJSIP endpoint Asterisk identified the caller as (by pjsip.conf {@code identify} or {@code auth}). A call
 * must pass every rule that is set; one that fails gets 403 Forbidden before any webhook.
 */
public record Admission(AddressList acl, Set<String> endpoints) {
    /** No rule: every call reaches the domain's app. */
    public static final Admission OPEN = new Admission(null, Set.of());

    public Admission {
        endpoints = Set.copyOf(endpoints);
    }

    /** Null when a call from {@code sourceIp}, identified as {@code endpoint}, is admitted; else why not. */
    public String refusal(String sourceIp, String endpoint) {
        if (acl != null && !acl.contains(sourceIp)) {
            return "source " + (sourceIp == null || sourceIp.isEmpty() ? "(unknown)" : sourceIp) + " is not in acl";
        }
        if (!endpoints.isEmpty() && (endpoint == null || !endpoints.contains(endpoint))) {
            return "endpoint " + (endpoint == null || endpoint.isEmpty() ? "(unknown)" : "'" + endpoint + "'")
                    + " is not in endpoints";
        }
        return null;
    }
}
