package io.twimlagi.engine;

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

    /** Fetch another document (Redirect, an action URL) and run it instead of the rest of this one. */
    record Navigate(String url, HttpMethod method, Map<String, String> extraParams) implements Outcome {
        public Navigate {
            extraParams = Map.copyOf(extraParams);
        }
    }
}
