package io.twimlagi.server;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The calls in progress, by CallSid: counted for /health and /metrics, finished by a shutdown that cannot wait. */
public final class LiveCalls {
    private final Map<String, CallSession> calls = new ConcurrentHashMap<>();

    void add(CallSession call) {
        calls.put(call.callSid(), call);
    }

    void remove(CallSession call) {
        calls.remove(call.callSid(), call);
    }

    public int size() {
        return calls.size();
    }

    /** The call with this CallSid while it is up, or null. */
    public CallSession get(String callSid) {
        return calls.get(callSid);
    }

    Collection<CallSession> all() {
        return List.copyOf(calls.values());
    }
}
