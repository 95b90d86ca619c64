package io.twimlagi.engine;

import io.twimlagi.call.Call;

/**
 * The handle of one walk in progress, for other threads: a live update or a dequeue hands it a new document
 * ({@link #redirect}) or ends it ({@link #stop}); either interrupts the media command the call is running, so the
 * change takes effect at once rather than when the current verb ends.
 */
public final class Walk {
    private final Call call;
    private Outcome pending;
    private WalkEnd stopped;
    private boolean over;
    /** Abandons the document fetch of the walk in progress (set by the walker). */
    private Runnable cancelFetch = () -> { };

    public Walk(Call call) {
        this.call = call;
    }

    /**
     * Stops the current verb and continues with this document ({@link Outcome.Navigate} or {@link Outcome.Inline})
     * instead of the rest of the current one. False when the walk is over (nothing was changed).
     */
    public synchronized boolean redirect(Outcome to) {
        if (!(to instanceof Outcome.Navigate || to instanceof Outcome.Inline)) {
            throw new IllegalArgumentException("not a document: " + to);
        }
        if (stopped != null || over) return false;
        pending = to;
        call.interrupt();
        return true;
    }

    /** Stops the current verb and ends the walk ({@link WalkEnd#STOPPED}); false when it was over already. */
    public synchronized boolean stop() {
        if (over) return false;
        stop(WalkEnd.STOPPED);
        return true;
    }

    /**
     * The caller is gone (learned from elsewhere than the call's own connection, e.g. Asterisk's manager events):
     * a webhook fetch in flight is abandoned and the media command in progress stopped, so the call ends at once
     * instead of when the app answers.
     */
    public void callerGone() {
        Runnable cancel;
        synchronized (this) {
            if (over) return;
            cancel = cancelFetch;
        }
        call.hangupReported();
        cancel.run();
        call.interrupt();
    }

    synchronized void whileWalking(Runnable fetchCanceller) {
        cancelFetch = fetchCanceller;
    }

    /** True once the walk ended. */
    public synchronized boolean over() {
        return over;
    }

    synchronized void stop(WalkEnd why) {
        if (over) return;
        if (stopped == null) stopped = why;
        call.interrupt();
    }

    /** The document handed over from outside, once; the call's media commands run again after it. */
    synchronized Outcome takeRedirect() {
        Outcome p = pending;
        if (p != null) {
            pending = null;
            call.clearInterrupt();
        }
        return p;
    }

    synchronized boolean hasRedirect() {
        return pending != null;
    }

    /** Why it was stopped from outside, or null. */
    synchronized WalkEnd stopped() {
        return stopped;
    }

    /** The walk is over: an interrupt meant for it must not reach whatever runs on the call next. */
    synchronized void finished() {
        if (pending != null || stopped != null) call.clearInterrupt();
        pending = null;
        over = true;
    }
}
