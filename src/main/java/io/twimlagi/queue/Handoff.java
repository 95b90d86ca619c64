package io.twimlagi.queue;

import io.twimlagi.call.Call;
import io.twimlagi.engine.Walk;
import io.twimlagi.twiml.HttpMethod;

/**
 * One dequeue: an agent's {@code <Dial><Queue>} took a caller, and both calls, each on its own AGI thread, meet in a
 * private two-party ConfBridge room. The caller runs the Queue's url document first, then says it is ready and
 * joins; the agent waits for that, then joins. Whoever leaves the room first makes sure the other leaves too: its
 * ConfBridge ends the room for both ({@code endOnExit}), and if the other is not in the room (yet), its call is
 * interrupted, which keeps it out (or, through the Manager Interface, takes it out). If the agent goes away before
 * it is in, the caller goes back to its place in the queue.
 * <p>
 * Each side's interrupt of the other happens under this object's lock, together with the flag saying so, so the
 * side that was interrupted knows, once it has left, that the interrupt was ours and clears it.
 */
final class Handoff {
    enum Side { CALLER, AGENT }

    /** What the agent waits for. */
    enum Progress { STARTING, READY, CALLER_GONE }

    final String room;
    final Member caller;
    final String agentSid;
    final Call agentCall;
    /** The Queue noun's url (absolute) or null, and its method. */
    final String url;
    final HttpMethod method;
    final long dequeuedNanos = System.nanoTime();

    private Progress progress = Progress.STARTING;
    private boolean agentFailed;
    private boolean agentEntered;
    private boolean agentJoinFailed;
    private boolean callerIn;
    private boolean agentIn;
    private boolean callerKicked;
    private boolean agentKicked;
    private Walk callerWalk;

    Handoff(String room, Member caller, String agentSid, Call agentCall, String url, HttpMethod method) {
        this.room = room;
        this.caller = caller;
        this.agentSid = agentSid;
        this.agentCall = agentCall;
        this.url = url;
        this.method = method;
    }

    /** The caller's url document is about to run with this walk; false when the agent is gone already. */
    synchronized boolean callerWalking(Walk walk) {
        if (agentFailed) return false;
        callerWalk = walk;
        return true;
    }

    /** The caller joins the room now; false when the agent is gone (the caller goes back to the queue). */
    synchronized boolean callerReady() {
        callerWalk = null;
        if (agentFailed || progress == Progress.CALLER_GONE) return false;
        progress = Progress.READY;
        callerIn = true;
        return true;
    }

    /** The caller will not join (it hung up, or a live update took it elsewhere). */
    synchronized void callerGone() {
        callerWalk = null;
        if (progress == Progress.STARTING) progress = Progress.CALLER_GONE;
    }

    synchronized Progress progress() {
        return progress;
    }

    /**
     * The agent went away before it was in the room (it hung up, or a live update): the caller's url document
     * stops, a caller already in the room is taken out of it, and the caller goes back to the queue.
     */
    synchronized void agentFailed() {
        if (agentEntered) return;
        agentFailed = true;
        if (callerWalk != null) callerWalk.stop();
        kick(Side.CALLER);
    }

    synchronized boolean agentFailedBeforeJoining() {
        return agentFailed;
    }

    /** The agent joins the room now; false when the caller is not there to meet (it left already). */
    synchronized boolean agentEnters() {
        if (progress != Progress.READY || !callerIn) return false;
        agentEntered = true;
        agentIn = true;
        return true;
    }

    /**
     * {@code side} is out of the room ({@code joined}: it had got in). The other side, if still in, is taken out.
     * True when this side's call was interrupted by the other: the caller of this method clears that interrupt.
     */
    synchronized boolean left(Side side, boolean joined) {
        if (side == Side.CALLER) {
            callerIn = false;
            kick(Side.AGENT);
            return callerKicked;
        }
        agentIn = false;
        if (!joined) agentJoinFailed = true;
        kick(Side.CALLER);
        return agentKicked;
    }

    /** True once the agent got into the room (so the two were bridged), as far as is known now. */
    synchronized boolean agentJoined() {
        return agentEntered && !agentJoinFailed;
    }

    private void kick(Side side) {
        if (side == Side.CALLER && callerIn && !callerKicked) {
            callerKicked = true;
            caller.call.interrupt();
        } else if (side == Side.AGENT && agentIn && !agentKicked) {
            agentKicked = true;
            agentCall.interrupt();
        }
    }
}
