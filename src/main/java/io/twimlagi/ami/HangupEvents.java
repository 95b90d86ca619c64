package io.twimlagi.ami;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Who waits for which channel's hangup, by Uniqueid. Each listener hears one {@link HangupInfo}, once, on the
 * executor (never on asterisk-java's thread); an exception in one is logged and touches no other. A subscription
 * is gone from the map once it fired or was closed. The newest {@value #RECENT} hangups are remembered, so a
 * subscription made just after its channel hung up (the caller left while the call was being set up) fires at
 * once instead of never; they also make the first of Asterisk's HangupRequest and Hangup events the only one
 * delivered.
 */
final class HangupEvents {
    private static final Logger log = LoggerFactory.getLogger(HangupEvents.class);
    static final int RECENT = 4096;

    private final Executor executor;
    /** Guards both maps: a hangup and a subscription for the same channel cannot miss each other. */
    private final Object lock = new Object();
    private final Map<String, List<Listener>> waiting = new HashMap<>();
    private final Map<String, HangupInfo> recent = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HangupInfo> eldest) {
            return size() > RECENT;
        }
    };

    HangupEvents(Executor executor) {
        this.executor = executor;
    }

    private final class Listener implements Subscription {
        final String uniqueId;
        final Consumer<HangupInfo> consumer;
        final AtomicBoolean done = new AtomicBoolean();

        Listener(String uniqueId, Consumer<HangupInfo> consumer) {
            this.uniqueId = uniqueId;
            this.consumer = consumer;
        }

        @Override
        public void close() {
            if (!done.compareAndSet(false, true)) return;
            synchronized (lock) {
                List<Listener> list = waiting.get(uniqueId);
                if (list != null && list.remove(this) && list.isEmpty()) waiting.remove(uniqueId);
            }
        }

        void fire(HangupInfo info) {
            if (!done.compareAndSet(false, true)) return;
            try {
                executor.execute(() -> {
                    try {
                        consumer.accept(info);
                    } catch (RuntimeException e) {
                        log.warn("AMI hangup listener for {} failed: {}", info.uniqueId(), e.toString(), e);
                    }
                });
            } catch (RejectedExecutionException e) {
                log.debug("AMI hangup of {} not delivered: client closed", info.uniqueId());
            }
        }
    }

    Subscription subscribe(String uniqueId, Consumer<HangupInfo> consumer) {
        Listener listener = new Listener(uniqueId, consumer);
        HangupInfo already;
        synchronized (lock) {
            already = recent.get(uniqueId);
            if (already == null) waiting.computeIfAbsent(uniqueId, k -> new ArrayList<>(1)).add(listener);
        }
        if (already != null) listener.fire(already);
        return listener;
    }

    /** A channel hung up (called on asterisk-java's event thread: only hands work to the executor). */
    void hungUp(HangupInfo info) {
        List<Listener> listeners;
        synchronized (lock) {
            if (recent.containsKey(info.uniqueId())) return; // a later event of the same hangup
            recent.put(info.uniqueId(), info);
            listeners = waiting.remove(info.uniqueId());
        }
        if (listeners != null) listeners.forEach(l -> l.fire(info));
    }

    /** Subscriptions not yet fired or closed (for tests and diagnostics). */
    int waiting() {
        synchronized (lock) {
            return waiting.values().stream().mapToInt(List::size).sum();
        }
    }
}
