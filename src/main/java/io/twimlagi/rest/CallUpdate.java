package io.twimlagi.rest;

import io.twimlagi.engine.Outcome;
import io.twimlagi.twiml.HttpMethod;

/**
 * A Calls/{Sid}.json POST, validated: new TwiML for the call ({@code twiml}: an {@link Outcome.Navigate} for
 * {@code Url} + {@code Method} or an {@link Outcome.Inline} for {@code Twiml}; null = none) and/or a {@code status}
 * ({@code completed} or {@code canceled}; null = none); a new fallback URL for its later fetches (null = keep).
 */
public record CallUpdate(Outcome twiml, String status, String fallbackUrl, HttpMethod fallbackMethod) {
}
