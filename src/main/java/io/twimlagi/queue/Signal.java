package io.twimlagi.queue;

import io.twimlagi.twiml.HttpMethod;

/** What another thread decided for a waiting caller; the caller's own thread acts on it. */
sealed interface Signal {
    /** An agent's {@code <Dial><Queue>} took it: run the Queue's url (if any), then the bridge. */
    record Dequeued(Handoff handoff) implements Signal {
    }

    /** A REST Members update: leave the queue and run this document. */
    record Redirected(String url, HttpMethod method) implements Signal {
    }

    /** The server is stopping. */
    record Shutdown() implements Signal {
    }
}
