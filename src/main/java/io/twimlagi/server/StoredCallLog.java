package io.twimlagi.server;

import io.twimlagi.engine.CallIdentity;
import io.twimlagi.engine.CallLog;
import io.twimlagi.records.CallDirection;
import io.twimlagi.records.CallRecord;
import io.twimlagi.records.CallStatus;
import io.twimlagi.records.RecordStore;
import io.twimlagi.records.RecordingRecord;
import io.twimlagi.records.RecordingSource;
import io.twimlagi.records.RecordingStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The {@link CallLog} kept in the {@link RecordStore}: each change is a new version of the call's record, written
 * in the background by the store's writer. The records of calls in progress are also held here, so each change
 * builds on the last one without a read.
 */
final class StoredCallLog implements CallLog {
    private static final Logger log = LoggerFactory.getLogger(StoredCallLog.class);

    private final RecordStore store;
    private final String accountSid;
    private final Map<String, CallRecord> live = new ConcurrentHashMap<>();

    StoredCallLog(RecordStore store, String accountSid) {
        this.store = store;
        this.accountSid = accountSid;
    }

    @Override
    public void started(CallIdentity call, String status) {
        Instant now = Instant.now();
        CallStatus s = status(status);
        CallRecord r = CallRecord.of(call.callSid(), call.accountSid(), call.parentCallSid(),
                CallDirection.fromTwilio(call.direction()).orElse(CallDirection.INBOUND), call.invite().from(),
                call.invite().to(), s, now).withSipDetails(blankToNull(call.invite().callId()),
                call.domain() == null ? null : blankToNull(call.invite().domain()), null, null);
        if (s != CallStatus.QUEUED) r = r.withStartTime(now); // an inbound call or a leg starts when it rings
        save(r);
    }

    @Override
    public void dialing(String callSid) {
        change(callSid, r -> r.withStatus(CallStatus.RINGING).withStartTime(Instant.now()));
    }

    @Override
    public void answered(String callSid) {
        change(callSid, r -> r.withStatus(CallStatus.IN_PROGRESS));
    }

    @Override
    public void ended(String callSid, String status, int durationSeconds, int sipResponseCode) {
        CallRecord r = live.remove(callSid);
        if (r == null) return;
        try {
            store.saveCall(r.ended(status(status), Instant.now(), Math.max(0, durationSeconds),
                    sipResponseCode >= 100 && sipResponseCode <= 699 ? sipResponseCode : null));
        } catch (RuntimeException e) { // e.g. the store closed by a shutdown that could not wait: the call still ends
            log.error("{} final call record not saved: {}", callSid, e.toString());
        }
    }

    @Override
    public void recorded(String recordingSid, String callSid, String conferenceSid, Instant started, int seconds,
                         int channels, String source) {
        Instant now = Instant.now();
        try {
            store.saveRecording(new RecordingRecord(recordingSid, accountSid, callSid, conferenceSid, now, now,
                    started, seconds, channels, RecordingSource.fromTwilio(source).orElse(RecordingSource.RECORD_VERB),
                    RecordingStatus.COMPLETED, null));
        } catch (RuntimeException e) {
            log.error("{} recording record {} not saved: {}", callSid, recordingSid, e.toString());
        }
    }

    private void change(String callSid, UnaryOperator<CallRecord> how) {
        CallRecord r = live.get(callSid);
        if (r == null) return;
        save(how.apply(r).withDateUpdated(Instant.now()));
    }

    private void save(CallRecord r) {
        live.put(r.sid(), r);
        try {
            store.saveCall(r);
        } catch (RuntimeException e) { // a record lost is not a call lost
            log.error("{} call record not saved: {}", r.sid(), e.toString());
        }
    }

    private static CallStatus status(String twilio) {
        return CallStatus.fromTwilio(twilio).orElseThrow(() -> new IllegalArgumentException("status " + twilio));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
