package io.twimlagi.config;

import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.util.AddressList;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
 * without {@code realtime_secret}. {@code recordsDb} ({@code records_db}, default {@code media_dir}/{@value
 * #DEFAULT_RECORDS_DB_NAME}) is the database file of call and recording records; {@code callLogDays}
 * ({@code call_log_days}, 0..{@value #MAX_CALL_LOG_DAYS}, default {@value #DEFAULT_CALL_LOG_DAYS}; 0 = forever)
 * how long call records are kept.
 * Peers: {@code agiAllow} ({@code agi_allow}) may connect to FastAGI, {@code sipCaptureAllow}
 * ({@code sip_capture_allow}) may send HEP (both default to loopback); {@code agiEnvironmentTimeout} and
 * {@code agiReplyTimeout} bound the AGI environment and the replies to commands that return at once.
 * {@code admission} ({@code acl}, {@code endpoints}) applies to calls to hosts without a section; each key is
 * inherited by domain sections that do not set it.
 * {@code fileRoot} ({@code file_root}) is [general]'s own setting, inherited by domains (null: each domain's
 * default, see {@link Domain#defaultFileRoot}).
 * {@code ami} ({@code ami_host}, {@code ami_port}, {@code ami_username},
 * {@code ami_secret}) is how the server logs in to Asterisk's Manager Interface; null (off) without username and
 * secret.
 * {@code audioSocketBind} ({@code audiosocket_bind}, default {@value #DEFAULT_AUDIOSOCKET_BIND}, null when
 * {@code off}) is where Asterisk's AudioSocket connections of Media Streams reach us (peers: {@code agi_allow}).
 * {@code streamPlayout} ({@code stream_playout}, default {@code exact}) is what a bidirectional stream does with a
 * standing backlog of the app's audio: play all of it, as Twilio does, or shorten pauses to shed it.
 */
public record General(InetSocketAddress agiBind, InetSocketAddress httpBind, String publicUrl, String accountSid,
                      String authToken, String voiceUrl, HttpMethod voiceMethod, String voiceFallbackUrl,
                      HttpMethod voiceFallbackMethod, String statusCallback, HttpMethod statusCallbackMethod,
                      Path mediaDir, Path asteriskMediaDir, int agiMaxCalls, Duration webhookConnectTimeout,
                      Duration webhookTimeout, String logLevel, int mediaCacheMb,
                      String dialNumber, String dialSipEndpoint, String dialClient, Set<String> statusCallbackEvents,
                      int shutdownGraceSeconds, int referTimeoutSeconds, Map<String, String> dialSipAuthOptions,
                      InetSocketAddress sipCapture, String sipCapturePassword, Realtime realtime,
                      AddressList agiAllow, Duration agiEnvironmentTimeout, Duration agiReplyTimeout,
                      AddressList sipCaptureAllow, Admission admission, Path recordsDb, int callLogDays,
                      Path fileRoot, Ami ami, InetSocketAddress audioSocketBind,
                      StreamPlayout streamPlayout) {
    public General {
        statusCallbackEvents = Set.copyOf(statusCallbackEvents);
        dialSipAuthOptions = Collections.unmodifiableMap(new LinkedHashMap<>(dialSipAuthOptions));
    }

    /** {@code stream_playout}: what a bidirectional stream does with the app's audio. */
    public enum StreamPlayout {
        /** Every byte the app sends is played, in order (Twilio). */
        EXACT,
        /**
         * A standing backlog of audio that arrives in real time (an echo, a relay) is shed by skipping silent
         * frames; no sound is dropped.
         */
        SHED_SILENCE
    }

    /**
     * {@code dial_sip_auth_options}' default: the pjsip.conf endpoint options of the run-time endpoints that carry
     * {@code <Sip username password>} legs (plus {@code outbound_auth}, always set by the server).
     */
    public static final String DEFAULT_DIAL_SIP_AUTH_OPTIONS = "disallow=all allow=ulaw,alaw direct_media=no";

    /** {@code sip_capture}'s default: hep.conf's {@code capture_address} in asterisk-conf/. */
    public static final String DEFAULT_SIP_CAPTURE = "127.0.0.1:9060";

    /** {@code audiosocket_bind}'s default: Media Streams' audio from Asterisk. */
    public static final String DEFAULT_AUDIOSOCKET_BIND = "127.0.0.1:4574";

    /** {@code agi_environment_timeout}'s default, ms: Asterisk sends its whole environment at once. */
    public static final int DEFAULT_AGI_ENVIRONMENT_TIMEOUT_MS = 5000;
    /** {@code agi_reply_timeout}'s default, ms: for commands Asterisk answers at once. */
    public static final int DEFAULT_AGI_REPLY_TIMEOUT_MS = 10000;

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

    /** {@code records_db}'s default file name, in {@code media_dir}. */
    public static final String DEFAULT_RECORDS_DB_NAME = "twiml-agi.db";
    /** {@code call_log_days}' default. */
    public static final int DEFAULT_CALL_LOG_DAYS = 30;
    /** {@code call_log_days}' maximum (ten years). */
    public static final int MAX_CALL_LOG_DAYS = 3650;

    /** How long call records are kept: {@link Duration#ZERO} for ever. */
    public Duration callLogRetention() {
        return Duration.ofDays(callLogDays);
    }

    /** Twilio's auth tokens are 32 characters; a shorter one is easier to guess from signed requests. */
    public static final int MIN_AUTH_TOKEN_LENGTH = 32;

    /** The start-up warning for a short {@code auth_token}, if any (the token itself is never shown). */
    public Optional<String> authTokenWarning() {
        if (authToken.length() >= MIN_AUTH_TOKEN_LENGTH) return Optional.empty();
        return Optional.of("auth_token is " + authToken.length() + " characters long: use at least "
                + MIN_AUTH_TOKEN_LENGTH + " random characters (Twilio's are 32); it signs every webhook and "
                + "protects /Recordings");
    }

    /** The {@code file_root} of a domain that inherits everything (no section of its own). */
    public Path defaultDomainFileRoot() {
        return fileRoot != null ? fileRoot : Domain.defaultFileRoot(voiceUrl, voiceFallbackUrl);
    }

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
                + ", realtime=" + (realtime == null ? "off" : realtime)
                + ", agiAllow=" + agiAllow + ", agiEnvironmentTimeout=" + agiEnvironmentTimeout + ", agiReplyTimeout="
                + agiReplyTimeout + ", sipCaptureAllow=" + sipCaptureAllow + ", admission=" + admission
                + ", recordsDb=" + recordsDb + ", callLogDays=" + callLogDays
                + ", fileRoot=" + fileRoot + ", ami=" + (ami == null ? "off" : ami)
                + ", audioSocketBind=" + (audioSocketBind == null ? "off" : audioSocketBind) + "]";
    }
}
