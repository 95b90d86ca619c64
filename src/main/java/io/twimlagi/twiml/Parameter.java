package io.twimlagi.twiml;

/** {@code <Parameter name value/>} (Client, Stream, Siprec, ConversationRelay, VirtualAgent, Pay...). Absent = null. */
public record Parameter(String name, String value, int line) {}
