package io.twimlagi.twiml;

/** {@code <Queue>} in Dial. url null = none; method default POST. */
public record Queue(String name, String url, HttpMethod method, String reservationSid, String postWorkActivitySid,
                    int line) implements DialNoun {}
