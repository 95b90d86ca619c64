package io.twimlagi.config;

import io.twimlagi.twiml.HttpMethod;

import java.util.Set;

/**
 * The effective settings for one SIP domain: its own section merged with {@code [general]}. {@code voiceUrl} is null
 * only for a {@link Config#domainFor(String) default domain} when {@code [general]} has no voice_url (every configured
 * domain then has its own) - the engine must reject such a call. Fallback and status callback are null when unset.
 * {@code admission} ({@code acl}, {@code endpoints}) decides which calls may reach it at all.
 */
public record Domain(String name, String sid, String voiceUrl, HttpMethod voiceMethod, String voiceFallbackUrl,
                     HttpMethod voiceFallbackMethod, String statusCallback, HttpMethod statusCallbackMethod,
                     Set<String> statusCallbackEvents, String dialNumber, String dialSipEndpoint, String dialClient,
                     Admission admission) {
    /** Twilio's call-progress events; {@code completed} is the default. */
    public static final Set<String> STATUS_EVENTS = Set.of("initiated", "ringing", "answered", "completed");

    public Domain {
        statusCallbackEvents = Set.copyOf(statusCallbackEvents);
        if (admission == null) admission = Admission.OPEN;
    }

    /** Admitting every call (tests and tools). */
    public Domain(String name, String sid, String voiceUrl, HttpMethod voiceMethod, String voiceFallbackUrl,
                  HttpMethod voiceFallbackMethod, String statusCallback, HttpMethod statusCallbackMethod,
                  Set<String> statusCallbackEvents, String dialNumber, String dialSipEndpoint, String dialClient) {
        this(name, sid, voiceUrl, voiceMethod, voiceFallbackUrl, voiceFallbackMethod, statusCallback,
                statusCallbackMethod, statusCallbackEvents, dialNumber, dialSipEndpoint, dialClient, Admission.OPEN);
    }

    /** With the default status callback events and Dial routing (tests and tools). */
    public Domain(String name, String sid, String voiceUrl, HttpMethod voiceMethod, String voiceFallbackUrl,
                  HttpMethod voiceFallbackMethod, String statusCallback, HttpMethod statusCallbackMethod) {
        this(name, sid, voiceUrl, voiceMethod, voiceFallbackUrl, voiceFallbackMethod, statusCallback,
                statusCallbackMethod, Set.of("completed"), General.DEFAULT_DIAL_NUMBER,
                General.DEFAULT_DIAL_SIP_ENDPOINT, General.DEFAULT_DIAL_CLIENT);
    }
}
