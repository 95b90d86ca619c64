package io.twimlagi.rest;

import io.twimlagi.twiml.HttpMethod;

/**
 * A Participants/{CallSid}.json POST, validated: {@code muted} and {@code hold} null = unchanged; {@code holdUrl}
 * (an absolute http(s) URL, null = the default hold music) and {@code holdMethod} (GET by default, as Twilio) only
 * with {@code hold} true.
 */
public record ParticipantUpdate(Boolean muted, Boolean hold, String holdUrl, HttpMethod holdMethod) {
}
