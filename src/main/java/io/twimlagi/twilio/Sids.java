package io.twimlagi.twilio;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** Twilio-style resource identifiers: a two-letter prefix followed by 32 hex digits. */
public final class Sids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final Pattern HEX32 = Pattern.compile("[0-9a-fA-F]{32}");

    private Sids() {
    }

    /** A new random call SID: {@code CA} + 32 lower-case hex digits (128 bits from {@link SecureRandom}). */
    public static String newCallSid() {
        return random("CA");
    }

    /** A new random conference SID: {@code CF} + 32 lower-case hex digits. */
    public static String newConferenceSid() {
        return random("CF");
    }

    /** A new random queue SID: {@code QU} + 32 lower-case hex digits. */
    public static String newQueueSid() {
        return random("QU");
    }

    /** A new random recording SID: {@code RE} + 32 lower-case hex digits. */
    public static String newRecordingSid() {
        return random("RE");
    }

    /** A new random Media Stream SID: {@code MZ} + 32 lower-case hex digits. */
    public static String newStreamSid() {
        return random("MZ");
    }

    /**
     * The SID of a SIP domain section that does not set {@code sid}: {@code SD} + the first 32 hex digits of
     * SHA-256 over the lower-cased (Locale.ROOT) domain name, so it is stable across restarts and hosts.
     */
    public static String derivedDomainSid(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return "SD" + HEX.formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** True when {@code sid} is {@code prefix} followed by exactly 32 hex digits (either case). */
    public static boolean isValid(String prefix, String sid) {
        return prefix != null && sid != null && sid.length() == prefix.length() + 32 && sid.startsWith(prefix)
                && HEX32.matcher(sid.substring(prefix.length())).matches();
    }

    private static String random(String prefix) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return prefix + HEX.formatHex(bytes);
    }
}
