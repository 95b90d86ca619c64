package io.twimlagi.config;

import io.twimlagi.twiml.HttpMethod;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The {@code [general]} section with defaults applied. {@code publicUrl} never ends with '/'. Nullable:
 * {@code voiceUrl} (only when every domain section has its own), {@code voiceFallbackUrl}, {@code statusCallback},
 * {@code ttsVoiceDefault}. {@code logLevel} is lower-case, one of error|warn|info|debug|trace.
 * {@code mediaCacheMb} ({@code media_cache_mb}, 1..1048576, default 1024) bounds the converted audio kept under
 * {@code mediaDir}'s {@code tts/} and {@code play/} folders. {@code dialNumber}/{@code dialClient} are Asterisk
 * dial strings with exactly one {@code {number}}/{@code {client}} placeholder; {@code dialSipEndpoint} is a PJSIP
 * endpoint name (validated by {@link ConfigLoader}). {@code sipCapture} ({@code sip_capture}, default
 * {@value #DEFAULT_SIP_CAPTURE}, null when {@code off}) is where Asterisk's HEP capture (hep.conf) reaches us;
 * {@code sipCapturePassword} its {@code capture_password} (null: none). {@code realtime}
 * ({@code realtime_bind}, {@code realtime_secret}) is where Asterisk's realtime lookups reach us; null (off)
 * without {@code realtime_secret}. {@code ami} ({@code ami_host}, {@code ami_port}, {@code ami_username},
 * {@code ami_secret}) is how the server logs in to Asterisk's Manager Interface; null (off) without username and
 * secret.
 */
public record General(InetSocketAddress agiBind, InetSocketAddress httpBind, String publicUrl, String accountSid,
                      String authToken, String voiceUrl, HttpMethod voiceMethod, String voiceFallbackUrl,
                      HttpMethod voiceFallbackMethod, String statusCallback, HttpMethod statusCallbackMethod,
                      Path mediaDir, Path asteriskMediaDir, int agiMaxCalls, Duration webhookConnectTimeout,
                      Duration webhookTimeout, String logLevel, int mediaCacheMb,
                      String dialNumber, String dialSipEndpoint, String dialClient, Set<String> statusCallbackEvents,
                      int shutdownGraceSeconds, int referTimeoutSeconds, Map<String, String> dialSipAuthOptions,
                      InetSocketAddress sipCapture, String sipCapturePassword, Realtime realtime,
                      Ami ami) {
    public General {
        statusCallbackEvents = Set.copyOf(statusCallbackEvents);
        dialSipAuthOptions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dialSipAuthOptions));
    }

    /**
     * {@code dial_sip_auth_options}' default: the pjsip.conf endpoint options of the run-time endpoints that carry
     * {@code <Sip username password>} legs (plus {@code outbound_auth}, always set by the server).
     */
    public static final String DEFAULT_DIAL_SIP_AUTH_OPTIONS = "disallow=all allow=ulaw,alaw direct_media=no";

    /** {@code sip_capture}'s default: hep.conf's {@code capture_address} in asterisk-conf/. */
    public static final String DEFAULT_SIP_CAPTURE = "127.0.0.1:9060";

    /** {@code shutdown_grace_seconds}' default: how long running calls may go on after SIGTERM. */
    public static final int DEFAULT_SHUTDOWN_GRACE_SECONDS = 60;
    /** {@code refer_timeout}'s default: how long a REFER may wait for its final NOTIFY. */
    public static final int DEFAULT_REFER_TIMEOUT_SECONDS = 60;
    /** {@code media_cache_mb}'s default. */
    public static final int DEFAULT_MEDIA_CACHE_MB = 1024;
    /** {@code dial_number}'s default: the Asterisk dial string for {@code <Number>}. */
    public static final String DEFAULT_DIAL_NUMBER = "PJSIP/{number}@trunk";
    /** {@code dial_sip_endpoint}'s default: the PJSIP endpoint that carries {@code <Sip>} URIs. */
    public static final String DEFAULT_DIAL_SIP_ENDPOINT = "trunk";
    /** {@code dial_client}'s default: {@code <Client>name</Client>} rings the PJSIP endpoint of that name. */
    public static final String DEFAULT_DIAL_CLIENT = "PJSIP/{client}";

    /** {@code media_cache_mb} in bytes. */
    public long mediaCacheBytes() {
        return mediaCacheMb * 1024L * 1024L;
    }

    /** Never prints the auth token. */
    @Override
    public String toString() {
        return "General[agiBind=" + agiBind + ", httpBind=" + httpBind + ", publicUrl=" + publicUrl
                + ", accountSid=" + accountSid + ", authToken=***, voiceUrl=" + voiceUrl + ", voiceMethod="
                + voiceMethod + ", voiceFallbackUrl=" + voiceFallbackUrl + ", voiceFallbackMethod="
                + voiceFallbackMethod + ", statusCallback=" + statusCallback + ", statusCallbackMethod="
                + statusCallbackMethod + ", mediaDir=" + mediaDir + ", asteriskMediaDir=" + asteriskMediaDir
                + ", agiMaxCalls=" + agiMaxCalls + ", webhookConnectTimeout=" + webhookConnectTimeout
                + ", webhookTimeout=" + webhookTimeout + ", logLevel=" + logLevel
                + ", mediaCacheMb=" + mediaCacheMb + ", dialNumber=" + dialNumber
                + ", dialSipEndpoint=" + dialSipEndpoint + ", dialClient=" + dialClient + ", statusCallbackEvents="
                + statusCallbackEvents + ", shutdownGraceSeconds=" + shutdownGraceSeconds + ", referTimeoutSeconds=" + referTimeoutSeconds
                + ", sipCapture=" + sipCapture + ", sipCapturePassword=" + (sipCapturePassword == null ? "none" : "***")
                + ", realtime=" + (realtime == null ? "off" : realtime) + ", ami=" + (ami == null ? "off" : ami) + "]";
    }
}
