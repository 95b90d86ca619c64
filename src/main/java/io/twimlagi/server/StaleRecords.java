package io.twimlagi.server;

import io.twimlagi.records.CallQuery;
import io.twimlagi.records.CallRecord;
import io.twimlagi.records.CallStatus;
import io.twimlagi.records.ConferenceQuery;
import io.twimlagi.records.ConferenceRecord;
import io.twimlagi.records.ConferenceStatus;
import io.twimlagi.records.Page;
import io.twimlagi.records.RecordStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * At start, what a previous run left unfinished (it stopped or died with calls up) is over: its calls ended with
 * that run's AGI connections, and what is in progress is only known in memory. So lists stay true:
 * <ul>
 *   <li>calls left {@code in-progress} become {@code completed}, ended at their last known change (their
 *       {@code date_updated}); calls left {@code queued} or {@code ringing} become {@code failed};</li>
 *   <li>conferences left {@code init} or {@code in-progress} become {@code completed}
 *       ({@code last-participant-left}).</li>
 * </ul>
 */
final class StaleRecords {
    private static final Logger log = LoggerFactory.getLogger(StaleRecords.class);

    private StaleRecords() {
    }

    /** Closes what the last run left open; returns how many records it changed. */
    static int close(RecordStore records) {
        return completeCalls(records) + completeConferences(records);
    }

    static int completeCalls(RecordStore records) {
        List<CallRecord> stale = new ArrayList<>();
        for (CallStatus s : List.of(CallStatus.QUEUED, CallStatus.RINGING, CallStatus.IN_PROGRESS)) {
            for (int page = 0; ; page++) {
                Page<CallRecord> p = records.listCalls(CallQuery.ALL.withStatus(s), page, Page.MAX_SIZE);
                stale.addAll(p.items());
                if (!p.hasNext()) break;
            }
        }
        for (CallRecord c : stale) {
            if (c.status() == CallStatus.IN_PROGRESS) {
                Instant end = c.dateUpdated();
                int seconds = c.startTime() == null ? 0
                        : (int) Math.max(0, Duration.between(c.startTime(), end).toSeconds());
                records.saveCall(c.ended(CallStatus.COMPLETED, end, seconds, c.sipResponseCode()));
            } else {
                records.saveCall(c.ended(CallStatus.FAILED, c.dateUpdated(), 0, c.sipResponseCode()));
            }
        }
        if (!stale.isEmpty()) log.info("records: {} call(s) left up by the last run marked ended", stale.size());
        return stale.size();
    }

    static int completeConferences(RecordStore records) {
        Instant now = Instant.now();
        List<ConferenceRecord> stale = new ArrayList<>();
        for (ConferenceStatus s : List.of(ConferenceStatus.INIT, ConferenceStatus.IN_PROGRESS)) {
            for (int page = 0; ; page++) {
                Page<ConferenceRecord> p = records.listConferences(ConferenceQuery.ALL.withStatus(s), page,
                        Page.MAX_SIZE);
                stale.addAll(p.items());
                if (!p.hasNext()) break;
            }
        }
        for (ConferenceRecord c : stale) records.saveConference(c.ended(now, "last-participant-left", null));
        if (!stale.isEmpty()) {
            log.info("records: {} conference(s) left in progress by the last run marked completed", stale.size());
        }
        return stale.size();
    }
}
