package io.twimlagi.server;

import io.twimlagi.records.ConferenceQuery;
import io.twimlagi.records.ConferenceRecord;
import io.twimlagi.records.ConferenceStatus;
import io.twimlagi.records.Page;
import io.twimlagi.records.RecordStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * At start, the conferences a previous run left {@code init} or {@code in-progress} (it stopped or died while they
 * had participants) are over: their calls ended with that run's AGI connections, and the conferences in progress
 * are only known in memory. Their records are completed ({@code last-participant-left}), so lists stay true.
 */
final class StaleConferences {
    private static final Logger log = LoggerFactory.getLogger(StaleConferences.class);

    private StaleConferences() {
    }

    static int complete(RecordStore records) {
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
