package io.twimlagi.verbs;

import io.twimlagi.engine.CallContext;
import io.twimlagi.twiml.Conference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a participant hears while waiting for the conference to start or while alone in it: Asterisk's
 * music-on-hold class. No waitUrl: the {@code default} class of musiconhold.conf (Twilio plays its classical
 * playlist); {@code waitUrl=""}: silence.
 */
class ConferenceHold {
    private static final Logger log = LoggerFactory.getLogger(ConferenceHold.class);
    static final String DEFAULT_CLASS = "default";

    /** The class name, or null for silence. */
    String classFor(Conference c, CallContext ctx) {
        if (c.waitUrl() == null) return DEFAULT_CLASS;
        if (c.waitUrl().isEmpty()) return null;
        log.warn("{} Conference waitUrl is not supported yet; the default hold music plays", ctx.callSid());
        return DEFAULT_CLASS;
    }
}
