package io.twimlagi.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One named queue: its settings and its waiting callers in order. Guarded by the {@link QueueRegistry}. */
final class CallQueue {
    final String sid;
    final Instant dateCreated;
    String friendlyName;
    int maxSize;
    Instant dateUpdated;
    /** The callers waiting, first in line first (by {@link Member#sequence}). */
    final List<Member> waiting = new ArrayList<>();

    CallQueue(String sid, String friendlyName, int maxSize) {
        this.sid = sid;
        this.friendlyName = friendlyName;
        this.maxSize = maxSize;
        this.dateCreated = Instant.now();
        this.dateUpdated = dateCreated;
    }

    /** Puts a member at its place by arrival order (a new one at the end, one put back near the front). */
    void insert(Member m) {
        int i = waiting.size();
        while (i > 0 && waiting.get(i - 1).sequence > m.sequence) i--;
        waiting.add(i, m);
    }

    QueueSnapshot snapshot(long nowNanos) {
        long total = 0;
        int longest = 0;
        for (Member m : waiting) {
            int s = m.seconds(nowNanos);
            total += s;
            longest = Math.max(longest, s);
        }
        int average = waiting.isEmpty() ? 0 : (int) (total / waiting.size());
        return new QueueSnapshot(sid, friendlyName, waiting.size(), maxSize, average, longest, dateCreated,
                dateUpdated);
    }

    List<MemberSnapshot> members(long nowNanos) {
        List<MemberSnapshot> out = new ArrayList<>(waiting.size());
        for (int i = 0; i < waiting.size(); i++) {
            Member m = waiting.get(i);
            out.add(new MemberSnapshot(m.callSid, sid, m.enqueuedAt, i + 1, m.seconds(nowNanos)));
        }
        return out;
    }
}
