package io.twimlagi.dial;

import io.twimlagi.engine.CallContext;
import io.twimlagi.twiml.HttpMethod;

/** Runs a Dial noun's screening url on the answered leg ({@link Screening}); true = connect it. */
@FunctionalInterface
public interface Screener {
    boolean screen(CallContext child, String url, HttpMethod method);
}
