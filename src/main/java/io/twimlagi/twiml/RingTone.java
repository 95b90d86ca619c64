package io.twimlagi.twiml;

import java.util.Optional;

/**
 * Dial's {@code ringTone}: the country whose ringback Twilio plays to the caller. Each {@link #value()} is also the
 * name of a tone zone in Asterisk's indications.conf.
 */
public enum RingTone implements TwimlValue {
    AT("at"), AU("au"), BG("bg"), BR("br"), BE("be"), CH("ch"), CL("cl"), CN("cn"), CZ("cz"), DE("de"), DK("dk"),
    EE("ee"), ES("es"), FI("fi"), FR("fr"), GR("gr"), HU("hu"), IL("il"), IN("in"), IT("it"), LT("lt"), JP("jp"),
    MX("mx"), MY("my"), NL("nl"), NO("no"), NZ("nz"), PH("ph"), PL("pl"), PT("pt"), RU("ru"), SE("se"), SG("sg"),
    TH("th"), UK("uk"), US("us"), US_OLD("us-old"), TW("tw"), VE("ve"), ZA("za");

    private final String value;

    RingTone(String value) {
        this.value = value;
    }

    /** The code exactly as Twilio spells it (case-sensitive, as Twilio's list is). */
    public static Optional<RingTone> parse(String text) {
        for (RingTone t : values()) if (t.value.equals(text)) return Optional.of(t);
        return Optional.empty();
    }

    @Override public String value() { return value; }

    @Override public String toString() { return value; }
}
