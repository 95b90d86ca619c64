package io.twimlagi.engine;

import io.twimlagi.twiml.Document;
import io.twimlagi.twiml.HttpMethod;

import java.util.Map;

/** What a verb tells the interpreter to do next. */
public sealed interface Outcome {
    /** Run the next verb of the current document. */
    Outcome NEXT = new Next();
    /** The call is over (Reject, Hangup, caller gone). */
    Outcome END = new End();

    record Next() implements Outcome {
    }

    record End() implements Outcome {
    }

    /**
     * Run this document instead of the rest of the current one: TwiML given inline (a REST call's or update's
     * {@code Twiml}); it has no URL, so its relative URLs cannot be followed (Twilio's rule: use absolute ones).
     */
    record Inline(Document document) implements Outcome {
    }

    /** Fetch another document (Redirect, an action URL) and run it instead of the rest of this one. */
    record Navigate(String url, HttpMethod method, Map<String, String> extraParams) implements Outcome {
        public Navigate {
            extraParams = Map.copyOf(extraParams);
        }
    }
}
