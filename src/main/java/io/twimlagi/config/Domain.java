package io.twimlagi.config;

import io.twimlagi.twiml.HttpMethod;

/**
 * The effective settings for one SIP domain: its own section merged with {@code [general]}. {@code voiceUrl} is null
 * only for a {@link Config#domainFor(String) default domain} when {@code [general]} has no voice_url (every configured
 * domain then has its own) - the engine must reject such a call. Fallback and status callback are null when unset.
 */
public record Domain(String name, String sid, String voiceUrl, HttpMethod voiceMethod, String voiceFallbackUrl,
                     HttpMethod voiceFallbackMethod, String statusCallback, HttpMethod statusCallbackMethod) {
}
