package io.twimlagi.queue;

import java.time.Instant;

/**
 * A queue as the REST API shows it, at one moment: {@code currentSize} callers waiting, {@code averageWaitSeconds}
 * the average of their waits so far (Twilio computes it "at the time of the request").
 */
public record QueueSnapshot(String sid, String friendlyName, int currentSize, int maxSize, int averageWaitSeconds,
                            int longestWaitSeconds, Instant dateCreated, Instant dateUpdated) {
}
