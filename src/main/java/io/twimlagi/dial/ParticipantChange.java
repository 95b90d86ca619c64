package io.twimlagi.dial;

import io.twimlagi.twiml.HttpMethod;

/**
 * A change to a live participant (Twilio's Participant update): {@code muted} and {@code hold} null = unchanged;
 * with {@code hold} true, {@code holdUrl} is what the participant hears (null = the default hold music, "" =
 * silence; an absolute http(s) URL otherwise), fetched with {@code holdMethod} (null = GET, Twilio's default).
 */
public record ParticipantChange(Boolean muted, Boolean hold, String holdUrl, HttpMethod holdMethod) {
}
