package io.twimlagi.dial;

import io.twimlagi.call.ConferenceExit;
import io.twimlagi.call.ConferenceRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * ConfBridge in memory, for tests: fake calls {@link #join} a room and stay until kicked (as through AMI's
 * ConfbridgeKick) or hung up; a leaving participant with endOnExit kicks the others, as our AGI side's ConfKick
 * does. Kicking or muting a channel that is not in that room is refused, as Asterisk refuses it.
 */
public final class FakeBridge implements BridgeControl {
    /** One channel in one room. */
    public static final class Member {
        public final String room;
        public final String channel;
        public final ConferenceRequest request;
        public volatile boolean muted;
        final CompletableFuture<ConferenceExit> exit = new CompletableFuture<>();

        Member(String channel, ConferenceRequest request) {
            this.room = request.room();
            this.channel = channel;
            this.request = request;
            this.muted = request.muted();
        }
    }

    private final Map<String, Member> members = new ConcurrentHashMap<>();
    /** What was asked, in order: {@code kick <room> <channel>}, {@code mute <room> <channel> <true|false>}. */
    public final List<String> actions = Collections.synchronizedList(new ArrayList<>());
    public volatile boolean available = true;

    /** The fake call's ConfBridge: stays until kicked or hung up. */
    public ConferenceExit join(String channel, ConferenceRequest r) {
        Member m = new Member(channel, r);
        members.put(channel, m);
        ConferenceExit exit;
        try {
            exit = m.exit.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit = ConferenceExit.HUNG_UP;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            members.remove(channel, m);
        }
        if (r.endOnExit() && exit != ConferenceExit.KICKED) { // AgiConference's ConfKick <room>,all
            for (Member other : List.copyOf(members.values())) {
                if (other.room.equals(r.room()) && members.remove(other.channel, other)) {
                    other.exit.complete(ConferenceExit.KICKED);
                }
            }
        }
        return exit;
    }

    /** The caller of {@code channel} hangs up (or leaves with {@code exit}). */
    public void leave(String channel, ConferenceExit exit) {
        Member m = members.get(channel);
        if (m == null) throw new AssertionError(channel + " is in no room");
        m.exit.complete(exit);
    }

    public Member member(String channel) {
        return members.get(channel);
    }

    /** Waits until {@code channel} is in a room whose name passes {@code room}. */
    public Member awaitIn(String channel, Predicate<String> room, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            Member m = members.get(channel);
            if (m != null && room.test(m.room)) return m;
            if (System.nanoTime() > deadline) {
                throw new AssertionError(channel + " never in the room; it is in " + (m == null ? "none" : m.room));
            }
            Thread.sleep(5);
        }
    }

    /** Waits until {@code channel} is in no room. */
    public void awaitOut(String channel, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (members.containsKey(channel)) {
            if (System.nanoTime() > deadline) throw new AssertionError(channel + " never left");
            Thread.sleep(5);
        }
    }

    @Override
    public boolean available() {
        return available;
    }

    @Override
    public void kick(String room, String channel) throws BridgeControlException {
        actions.add("kick " + room + " " + channel);
        Member m = present(room, channel);
        if (members.remove(channel, m)) m.exit.complete(ConferenceExit.KICKED);
    }

    @Override
    public void mute(String room, String channel, boolean muted) throws BridgeControlException {
        actions.add("mute " + room + " " + channel + " " + muted);
        present(room, channel).muted = muted;
    }

    private Member present(String room, String channel) throws BridgeControlException {
        Member m = members.get(channel);
        if (m == null || !m.room.equals(room)) {
            throw new BridgeControlException(BridgeControlException.Reason.REFUSED,
                    "No Channel by that name found in Conference.");
        }
        return m;
    }
}
