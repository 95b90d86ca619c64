package io.twimlagi.dial;

import io.twimlagi.call.DialLeg;
import io.twimlagi.config.Domain;
import io.twimlagi.config.General;
import io.twimlagi.sip.SipUriHeaders;
import io.twimlagi.twiml.Client;
import io.twimlagi.twiml.DialNoun;
import io.twimlagi.twiml.Number;
import io.twimlagi.twiml.Sip;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns {@code <Dial>} nouns into Asterisk dial strings with the domain's routing ({@code dial_number},
 * {@code dial_sip_endpoint}, {@code dial_client}). Untrusted text never carries a character that could split or
 * escape the Dial application's arguments: numbers, client names and SIP URIs are validated first.
 */
public final class DialTargets {
    /** After removing formatting ({@code space - . ( )}): optional +, then digits, * # and letters (extensions). */
    static final Pattern NUMBER = Pattern.compile("\\+?[0-9A-Za-z*#]{1,64}");
    /** A client identity: SIP token characters, at most 256. */
    static final Pattern CLIENT = Pattern.compile("[A-Za-z0-9.!%*_+`'~-]{1,256}");
    /** A callerId Asterisk can put in the From user: a number, or letters/digits and + - _ . (Twilio's SIP rule). */
    static final Pattern CALLER_ID = Pattern.compile("[A-Za-z0-9+_.-]{1,64}");
    private static final Pattern FORMATTING = Pattern.compile("[\\s().-]");

    /** A noun that cannot be dialed: Twilio's error code and why. */
    public static final class Invalid extends Exception {
        final int code;

        Invalid(int code, String message) {
            super(message);
            this.code = code;
        }

        /** Twilio's error code for it. */
        public int code() {
            return code;
        }
    }

    private final String numberTemplate;
    private final String sipEndpoint;
    private final String clientTemplate;

    private final DialExecutor.SipAuth sipAuth;

    DialTargets(Domain domain) {
        this(domain, null);
    }

    public DialTargets(Domain domain, DialExecutor.SipAuth sipAuth) {
        this.sipAuth = sipAuth;
        this.numberTemplate = domain.dialNumber() != null ? domain.dialNumber() : General.DEFAULT_DIAL_NUMBER;
        this.sipEndpoint = domain.dialSipEndpoint() != null ? domain.dialSipEndpoint()
                : General.DEFAULT_DIAL_SIP_ENDPOINT;
        this.clientTemplate = domain.dialClient() != null ? domain.dialClient() : General.DEFAULT_DIAL_CLIENT;
    }

    /**
     * The leg for a REST call's {@code To}: a {@code sip:}/{@code sips:} URI (URI headers go on the INVITE; with
     * {@code username} and {@code password} for a callee that challenges), {@code client:name}, or a number.
     */
    public DialLeg to(String to, String username, String password) throws Invalid {
        String t = to == null ? "" : to.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sip:") || lower.startsWith("sips:")) {
            return sip(new Sip(t, username, password, null, null, null, null, Set.of(), null,
                    List.of(), Map.of(), 0));
        }
        if (username != null || password != null) throw new Invalid(13249, "SIP credentials need a sip: To");
        if (lower.startsWith("client:")) return new DialLeg(client(t), Map.of(), false);
        return new DialLeg(number(t), Map.of(), false);
    }

    /** The leg for a Number, Sip or Client noun; other nouns are not handled here. */
    DialLeg leg(DialNoun noun) throws Invalid {
        if (noun instanceof Number n) return new DialLeg(number(n.number()), Map.of(), false);
        if (noun instanceof Client c) return new DialLeg(client(c.identity()), Map.of(), false);
        if (noun instanceof Sip s) return sip(s);
        throw new Invalid(13215, "<" + noun.getClass().getSimpleName() + "> in <Dial> is not supported yet");
    }

    String number(String text) throws Invalid {
        String n = text == null ? "" : FORMATTING.matcher(text.strip()).replaceAll("");
        if (!NUMBER.matcher(n).matches()) {
            throw new Invalid(n.isEmpty() ? 13224 : 13223, "invalid phone number \"" + printable(text) + "\"");
        }
        return numberTemplate.replace("{number}", n);
    }

    String client(String identity) throws Invalid {
        String c = identity == null ? "" : identity.strip();
        if (c.regionMatches(true, 0, "client:", 0, 7)) c = c.substring(7);
        if (!CLIENT.matcher(c).matches()) {
            throw new Invalid(13224, "invalid client identity \"" + printable(identity) + "\"");
        }
        return clientTemplate.replace("{client}", c);
    }

    DialLeg sip(Sip sip) throws Invalid {
        try {
            SipUriHeaders.Parsed p = SipUriHeaders.parse(sip.uri());
            Map<String, String> headers = new LinkedHashMap<>(p.headers());
            for (Map.Entry<String, String> h : sip.headers().entrySet()) { // <Headers><Header name value/>
                headers.put(SipUriHeaders.checkName(h.getKey()),
                        SipUriHeaders.checkValue(h.getKey(), h.getValue() == null ? "" : h.getValue()));
            }
            return new DialLeg("PJSIP/" + endpointFor(sip) + "/" + p.uri(), headers, true);
        } catch (SipUriHeaders.Invalid e) {
            throw new Invalid(e.code(), e.getMessage());
        }
    }

    /**
     * The PJSIP endpoint that carries a {@code <Sip>} leg: {@code dial_sip_endpoint}, or with
     * {@code username}/{@code password} a run-time endpoint holding those credentials (Asterisk answers the
     * callee's 401/407 with them).
     */
    private String endpointFor(Sip sip) throws Invalid {
        if (sip.username() == null && sip.password() == null) return sipEndpoint;
        if (sip.username() == null || sip.password() == null || sip.username().isEmpty()) {
            throw new Invalid(13249, "<Sip> needs both username and password for digest authentication");
        }
        if (sipAuth == null) throw new Invalid(13244, "SIP authentication is not set up on this server");
        try {
            return sipAuth.endpoints().endpointFor(sip.username(), sip.password(), sipAuth.options());
        } catch (IllegalArgumentException e) {
            throw new Invalid(13249, e.getMessage());
        }
    }

    /** The callerId to set, or null (with the reason logged by the caller) when it is not usable. */
    public static boolean validCallerId(String callerId) {
        return callerId != null && CALLER_ID.matcher(callerId).matches();
    }

    public static String printable(String s) {
        if (s == null) return "";
        String p = s.replaceAll("[\\p{Cntrl}]", "?");
        return p.length() > 100 ? p.substring(0, 100) + "…" : p;
    }
}
