package io.twimlagi.twiml;

/** An enumerated TwiML attribute value; {@link #value()} (also its {@code toString}) is Twilio's spelling. */
public interface TwimlValue {
    String value();
}
