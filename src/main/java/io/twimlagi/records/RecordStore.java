package io.twimlagi.records;

import java.time.Instant;
import java.util.Optional;

/**
 * The call, conference and recording records the REST API reads, kept across restarts. Writes are asynchronous: they return
 * at once and are committed in batches by one writer thread (see {@link SqliteRecordStore}); reads see every
 * write that returned before them. Lists are newest first: by {@code dateCreated}, then by SID (descending).
 */
public interface RecordStore extends AutoCloseable {
    /**
     * Saves {@code call}, replacing any record with its SID. Returns once queued; waits only while the write queue
     * is full (the disk is behind), never drops it.
     *
     * @throws IllegalStateException once closed
     */
    void saveCall(CallRecord call);

    Optional<CallRecord> fetchCall(String sid);

    /** @throws IllegalArgumentException when {@code page < 0} or {@code pageSize} is not 1..{@value Page#MAX_SIZE} */
    Page<CallRecord> listCalls(CallQuery query, int page, int pageSize);

    /** Like {@link #saveCall}: replaces any record with its SID. */
    void saveRecording(RecordingRecord recording);

    Optional<RecordingRecord> fetchRecording(String sid);

    Page<RecordingRecord> listRecordings(RecordingQuery query, int page, int pageSize);

    /** Like {@link #saveCall}: replaces any record with its SID. */
    void saveConference(ConferenceRecord conference);

    Optional<ConferenceRecord> fetchConference(String sid);

    Page<ConferenceRecord> listConferences(ConferenceQuery query, int page, int pageSize);

    /** Deletes a recording's record (not its file); true when there was one. Waits for the commit. */
    boolean deleteRecording(String sid);

    /**
     * Deletes the call and conference records created before {@code cutoff} (recording records stay until deleted,
     * like their files); returns how many call records went. Waits for the commit. The store also does this itself for its retention.
     */
    int purgeCallsOlderThan(Instant cutoff);

    /** Waits until every write that returned before this call is committed. */
    void flush();

    /** Writes queued and not yet committed (for monitoring). */
    int pendingWrites();

    /** Commits every queued write, then closes the database. Idempotent. */
    @Override
    void close();
}
