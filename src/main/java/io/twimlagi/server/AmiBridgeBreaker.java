package io.twimlagi.server;

import io.twimlagi.agi.BridgeBreaker;
import io.twimlagi.ami.AmiClient;
import io.twimlagi.ami.AmiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Ends a call's Dial or conference through the Manager Interface when a live update arrives: a Dial's legs (from
 * the caller's {@code TWIML_DIAL_LEGS}) are hung up, so Dial returns to the AGI (option {@code g}); a conference
 * participant is kicked, so ConfBridge returns. A leg not created yet, or a conference not joined yet, is tried
 * again every {@value #RETRY_MS} ms while the call is still in that application, for at most {@value #GIVE_UP_MS} ms
 * in all; {@value #THREADS} threads serve every call, so one stalled AMI answer (up to 5 s) delays no other call's.
 */
final class AmiBridgeBreaker implements BridgeBreaker, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AmiBridgeBreaker.class);
    static final long RETRY_MS = 200;
    static final long GIVE_UP_MS = 10_000;
    static final int THREADS = 4;
    /** Q.850 normal clearing: the callee gets a BYE (or a CANCEL while ringing). */
    private static final int NORMAL_CLEARING = 16;

    private final AmiClient ami;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "bridge-breaker");
        t.setDaemon(true);
        return t;
    });

    AmiBridgeBreaker(AmiClient ami) {
        this.ami = ami;
    }

    @Override
    public void breakOut(String channel, App app, BooleanSupplier stillRunning) {
        Set<String> hungUp = ConcurrentHashMap.newKeySet();
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MS);
        timer.execute(() -> attempt(channel, app, stillRunning, hungUp, 1, giveUp));
    }

    private void attempt(String channel, App app, BooleanSupplier stillRunning, Set<String> hungUp, int n,
                         long giveUp) {
        if (!stillRunning.getAsBoolean()) return;
        try {
            if (app instanceof DialApp) {
                for (String leg : legs(ami.getVar(channel, "TWIML_DIAL_LEGS"))) {
                    if (hungUp.add(leg)) {
                        log.info("{}: hanging up Dial leg {} for a live update", channel, leg);
                        if (!hangup(leg)) hungUp.remove(leg); // a timeout or a reconnect: the next try sends it again
                    }
                }
            } else if (app instanceof ConferenceApp c) {
                ami.confbridgeKick(c.room(), channel);
                log.info("{}: taken out of conference {} for a live update", channel, c.room());
                return;
            }
        } catch (AmiException | IllegalArgumentException e) {
            log.debug("{}: breaking its {} failed (try {}): {}", channel, app, n, e.getMessage());
        }
        if (System.nanoTime() - giveUp >= 0) {
            log.warn("{}: its {} could not be ended for a live update; the update waits for its end", channel, app);
            return;
        }
        try {
            timer.schedule(() -> attempt(channel, app, stillRunning, hungUp, n + 1, giveUp), RETRY_MS,
                    TimeUnit.MILLISECONDS);
        } catch (RuntimeException closed) {
            // shutting down
        }
    }

    /** False when the Hangup failed (the leg may have ended meanwhile, or AMI did not answer). */
    private boolean hangup(String leg) {
        try {
            ami.hangup(leg, NORMAL_CLEARING);
            return true;
        } catch (AmiException e) {
            log.debug("hangup of Dial leg {}: {}", leg, e.getMessage());
            return false;
        }
    }

    /** The leg channel names in {@code name=Call-ID|name=Call-ID|} (dialplan/twiml.conf's pre-dial handler). */
    static Set<String> legs(String value) {
        Set<String> legs = new LinkedHashSet<>();
        if (value == null) return legs;
        for (String entry : value.split("\\|")) {
            int eq = entry.indexOf('=');
            String name = (eq < 0 ? entry : entry.substring(0, eq)).strip();
            if (!name.isEmpty()) legs.add(name);
        }
        return legs;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
