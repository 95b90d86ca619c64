package io.twimlagi.twiml;

/** {@code <Uri priority weight username password>} child of a {@code <Sip>} noun (newer helper libraries). */
public record SipUri(String uri, Integer priority, Integer weight, String username, String password, int line) {}
