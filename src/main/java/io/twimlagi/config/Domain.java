package io.twimlagi.config;

import io.twimlagi.twiml.HttpMethod;

import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The effective settings for one SIP domain: its own section merged with {@code [general]}. {@code voiceUrl} is null
 * only for a {@link Config#domainFor(String) default domain} when {@code [general]} has no voice_url (every configured
 * domain then has its own) - the engine must reject such a call. Fallback and status callback are null when unset.
 * {@code admission} ({@code acl}, {@code endpoints}) decides which calls may reach it at all.
 * {@code fileRoot} ({@code file_root}) is the folder below which this domain's {@code file:} documents may name
 * local files; null: the domain reads none (README "Security").
 */
public record Domain(String name, String sid, String voiceUrl, HttpMethod voiceMethod, String voiceFallbackUrl,
                     HttpMethod voiceFallbackMethod, String statusCallback, HttpMethod statusCallbackMethod,
                     Set<String> statusCallbackEvents, String dialNumber, String dialSipEndpoint, String dialClient,
                     Admission admission, Path fileRoot) {
    /** Twilio's call-progress events; {@code completed} is the default. */
    public static final Set<String> STATUS_EVENTS = Set.of("initiated", "ringing", "answered", "completed");

    public Domain {
        statusCallbackEvents = Set.copyOf(statusCallbackEvents);
        if (admission == null) admission = Admission.OPEN;
    }

    /** Admitting every call, with the default {@code file_root} ({@link #defaultFileRoot}) (tests and tools). */
    public Domain(String name, String sid, String voiceUrl, HttpMethod voiceMethod, String voiceFallbackUrl,
                  HttpMethod voiceFallbackMethod, String statusCallback, HttpMethod statusCallbackMethod,
                  Set<String> statusCallbackEvents, String dialNumber, String dialSipEndpoint, String dialClient) {
        this(name, sid, voiceUrl, voiceMethod, voiceFallbackUrl, voiceFallbackMethod, statusCallback,
                statusCallbackMethod, statusCallbackEvents, dialNumber, dialSipEndpoint, dialClient, Admission.OPEN,
                defaultFileRoot(voiceUrl, voiceFallbackUrl));
    }

    /**
     * {@code file_root}'s default: the folder of the {@code file:} voice_url, else of the {@code file:}
     * voice_fallback_url; null (no local files) when neither is a {@code file:} URL.
     */
    public static Path defaultFileRoot(String voiceUrl, String voiceFallbackUrl) {
        Path voice = localPath(voiceUrl);
        Path fallback = localPath(voiceFallbackUrl);
        Path document = voice != null ? voice : fallback;
        return document == null ? null : document.getParent();
    }

    /** The normalised path of a {@code file:} URL; null for any other URL or a malformed one. */
    static Path localPath(String url) {
        if (url == null || !url.trim().toLowerCase(Locale.ROOT).startsWith("file:")) return null;
        try {
            return Path.of(URI.create(url.trim())).normalize();
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            return null;
        }
    }

    /** With the default status callback events and Dial routing (tests and tools). */
    public Domain(String name, String sid, String voiceUrl, HttpMethod voiceMethod, String voiceFallbackUrl,
                  HttpMethod voiceFallbackMethod, String statusCallback, HttpMethod statusCallbackMethod) {
        this(name, sid, voiceUrl, voiceMethod, voiceFallbackUrl, voiceFallbackMethod, statusCallback,
                statusCallbackMethod, Set.of("completed"), General.DEFAULT_DIAL_NUMBER,
                General.DEFAULT_DIAL_SIP_ENDPOINT, General.DEFAULT_DIAL_CLIENT);
    }
}
