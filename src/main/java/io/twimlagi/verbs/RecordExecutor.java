package io.twimlagi.verbs;

import io.twimlagi.call.Recorded;
import io.twimlagi.call.Recorded.RecordEnd;
import io.twimlagi.call.Call;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.CallLog;
import io.twimlagi.engine.Outcome;
import io.twimlagi.media.MediaException;
import io.twimlagi.media.MediaStore;
import io.twimlagi.recording.RecordingCallbackParams;
import io.twimlagi.recording.RecordingStore;
import io.twimlagi.twiml.Record;
import io.twimlagi.twiml.Trim;
import io.twimlagi.webhook.CallbackSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <Record>}: beep, record until a finish key, {@code timeout} seconds of silence or {@code maxLength},
 * trim silence, then request {@code action} with RecordingUrl (served by our HTTP server, without extension, as
 * Twilio's), RecordingSid, RecordingDuration and Digits. A caller who hangs up still produces the action request
 * ({@code Digits=hangup}) and the recording is kept; an empty recording skips the action and the next verb runs.
 */
public final class RecordExecutor implements VerbExecutor<Record> {
    private static final Logger log = LoggerFactory.getLogger(RecordExecutor.class);

    private final RecordingStore recordings;
    private final CallbackSender callbacks;
    private final String publicUrl;
    private final String beep;

    private final CallLog callLog;

    public RecordExecutor(RecordingStore recordings, CallbackSender callbacks, String publicUrl, String beepPrompt,
                          CallLog callLog) {
        this.callLog = callLog;
        this.recordings = recordings;
        this.callbacks = callbacks;
        this.publicUrl = publicUrl;
        this.beep = beepPrompt;
    }

    /** Twilio's beep: 0.25 s of 1 kHz, written once into the media folder; returns its Asterisk name. */
    public static String beepPrompt(MediaStore store) throws IOException, MediaException {
        Path file = Tones.wav(store, "beep-1000hz-250ms", 1000, 250, 12000);
        return store.asteriskName(file);
    }

    @Override
    public Outcome execute(Record record, CallContext ctx) {
        if (record.transcribe()) {
            log.warn("{} Record transcribe=\"true\" is not supported; recording without a transcription",
                    ctx.callSid());
        }
        Call call = ctx.call();
        if (record.playBeep()) call.play(beep, "");
        RecordingStore.Recording file = recordings.create();
        ZonedDateTime started = ZonedDateTime.now();
        Recorded how = call.record(file.asteriskName(), Duration.ofSeconds(record.maxLength()),
                Duration.ofSeconds(record.timeout()), record.finishOnKey());
        RecordingStore.Result result = recordings.finish(file, record.trim() == Trim.TRIM_SILENCE);
        if (result.empty()) {
            log.info("{} Record {}: empty recording, no action", ctx.callSid(), file.sid());
            return how.end() == RecordEnd.HANGUP ? Outcome.END : Outcome.NEXT;
        }
        String url = RecordingStore.url(publicUrl, file.sid());
        callLog.recorded(file.sid(), ctx.callSid(), null, started.toInstant(), result.durationSeconds(), 1,
                "RecordVerb");
        log.info("{} Record {}: {} s, ended by {}", ctx.callSid(), file.sid(), result.durationSeconds(),
                how.end() == RecordEnd.KEY ? "key " + how.key() : how.end().name().toLowerCase());
        if (record.recordingStatusCallback() != null && record.recordingStatusCallbackEvent().contains("completed")) {
            Map<String, String> p = RecordingCallbackParams.completed(ctx.params().get("AccountSid"),
                    ctx.callSid(), file.sid(), url, result.durationSeconds(), started);
            callbacks.send(ctx.callSid(), "recordingStatusCallback", ctx.resolve(record.recordingStatusCallback()),
                    record.recordingStatusCallbackMethod(), p);
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("RecordingUrl", url);
        params.put("RecordingSid", file.sid());
        params.put("RecordingDuration", Integer.toString(result.durationSeconds()));
        if (how.end() == RecordEnd.KEY) params.put("Digits", String.valueOf(how.key()));
        if (how.end() == RecordEnd.HANGUP) params.put("Digits", "hangup");
        return new Outcome.Navigate(ctx.resolve(record.action()), record.method(), params);
    }
}
