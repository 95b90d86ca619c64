package io.twimlagi.config;

import io.twimlagi.twiml.HttpMethod;

/**
 * The effective settings for one SIP domain: its own section merged with {@code [general]}. {@code voiceUrl} is null
 * only for a {@link Config#domainFor(String) default domain} when {@code [general]} has no voice_url (every configured
 * domain then has its own) - the engine must reject such a call. Fallback and status callback are null when unset.
 */
public record Domain(String name, String sid, String voiceUrl, HttpMethod voiceMethod, String voiceFallbackUrl,
                     HttpMethod voiceFallbackMethod, String statusCallback, HttpMethod statusCallbackMethod,
                     String dialNumber, String dialSipEndpoint, String dialClient) {

    /** Without Dial routing of its own (null = inherit {@code [general]}'s, see {@link #withDialDefaults}). */
    public Domain(String name, String sid, String voiceUrl, HttpMethod voiceMethod, String voiceFallbackUrl,
                  HttpMethod voiceFallbackMethod, String statusCallback, HttpMethod statusCallbackMethod) {
        this(name, sid, voiceUrl, voiceMethod, voiceFallbackUrl, voiceFallbackMethod, statusCallback,
                statusCallbackMethod, null, null, null);
    }

    /** This domain with its unset Dial routing keys ({@code dial_number}, ...) taken from {@code [general]}. */
    public Domain withDialDefaults(General g) {
        if (dialNumber != null && dialSipEndpoint != null && dialClient != null) return this;
        return new Domain(name, sid, voiceUrl, voiceMethod, voiceFallbackUrl, voiceFallbackMethod, statusCallback,
                statusCallbackMethod, dialNumber != null ? dialNumber : g.dialNumber(),
                dialSipEndpoint != null ? dialSipEndpoint : g.dialSipEndpoint(),
                dialClient != null ? dialClient : g.dialClient());
    }
}
