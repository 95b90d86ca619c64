package io.twimlagi.dial;

import io.twimlagi.twilio.Sids;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The conferences this server has participants in: Twilio's conference names are per account, ours per SIP
 * domain, so a room is the domain's SID plus the name, mapped to a ConfBridge name Asterisk accepts (readable
 * prefix + hash: {@code support-3f2a9c01d4e5b6a7}). A room lives while one of our calls is in it; its
 * ConferenceSid is created by the first participant.
 */
final class ConferenceRooms {
    /** One conference while it has participants here. */
    static final class Room {
        final String bridgeName;
        final String conferenceSid = Sids.newConferenceSid();
        int participants;
        /** Set by the participant who created the room; run by the last to leave (finishes its recording). */
        volatile Runnable onEmpty;
        /** The creator's statusCallback (null = none). */
        volatile ConferenceEvents events;
        /** What the REST API sees and changes of it (set when the room is created). */
        volatile LiveConference live;
        /** True once a participant with startConferenceOnEnter joined: later ones never wait. */
        volatile boolean started;
        /** The CallSid of the participant whose endConferenceOnExit ended the conference, if one did. */
        volatile String endedBy;
        /**
         * Our participants who joined it as ConfBridge marked users (starters; not the waiters who joined again
         * after the starters left), guarded by the rooms' lock.
         */
        int starters;

        Room(String bridgeName) {
            this.bridgeName = bridgeName;
        }
    }

    private final Map<String, Room> rooms = new HashMap<>();

    /** Asterisk's bridge name for a conference name in a domain: safe characters only, at most 67. */
    static String bridgeName(String domainSid, String name) {
        String readable = name.strip().replaceAll("[^A-Za-z0-9_.-]+", "_");
        if (readable.length() > 40) readable = readable.substring(0, 40);
        if (readable.isEmpty() || readable.startsWith(".")) readable = "conference" + readable;
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((domainSid + "\n" + name.strip()).getBytes(StandardCharsets.UTF_8));
            return readable + "-" + HexFormat.of().formatHex(h, 0, 8).toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A participant's place: its room, and whether it created the room. */
    record Seat(Room room, boolean first) {
    }

    /**
     * Enters a room (creating it when this is its first participant here; then {@code created} gets the new room,
     * before anyone else can enter it, to set its statusCallback and its REST view).
     */
    synchronized Seat enter(String domainSid, String name, Consumer<Room> created) {
        Room room = rooms.computeIfAbsent(bridgeName(domainSid, name), Room::new);
        room.participants++;
        boolean first = room.participants == 1;
        if (first) created.accept(room);
        return new Seat(room, first);
    }

    /**
     * The room's conference was ended from outside: whoever enters its name from now on starts a new conference
     * (new ConferenceSid), while its participants leave.
     */
    synchronized void detach(Room room) {
        rooms.remove(room.bridgeName, room);
    }

    /** Whether the conference had started before this participant ({@code before}), and whether it starts it. */
    record Start(boolean before, boolean now) {
    }

    /**
     * Marks the conference started when a participant with startConferenceOnEnter is about to join; one who joins
     * a started conference joins as a starter too. Counts the starters.
     */
    synchronized Start start(Room room, boolean startOnEnter) {
        boolean before = room.started;
        if (startOnEnter) room.started = true;
        if (startOnEnter || before) room.starters++;
        return new Start(before, startOnEnter && !before);
    }

    /** A starter is out (after its endConferenceOnExit, if any, was recorded in the room). */
    synchronized void starterLeft(Room room) {
        room.starters--;
        notifyAll();
    }

    /**
     * A waiter was let out because the last starter left (ConfBridge's ENDMARKED): true when it should join again
     * as a starter, i.e. the conference was started and nobody ended it. Waits (up to {@code max}) for our own
     * starters' threads to record whether they ended it; a starter on another server is not waited for.
     */
    synchronized boolean keepsGoing(Room room, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (room.starters > 0 && room.endedBy == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return room.started && room.endedBy == null;
    }

    /** Leaves; returns true when that was the last participant here (the room is gone). */
    synchronized boolean leave(Room room) {
        if (--room.participants > 0) return false;
        rooms.remove(room.bridgeName, room);
        return true;
    }
}
