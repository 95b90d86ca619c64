package io.twimlagi.twiml;

/** {@code <Room participantIdentity>name</Room>} (Connect). */
public record Room(String name, String participantIdentity, int line) implements MediaNoun {}
