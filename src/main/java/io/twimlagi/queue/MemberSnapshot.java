package io.twimlagi.queue;

import java.time.Instant;

/** A caller waiting in a queue, at one moment: its place (from 1) and how long it has waited. */
public record MemberSnapshot(String callSid, String queueSid, Instant dateEnqueued, int position, int waitSeconds) {
}
