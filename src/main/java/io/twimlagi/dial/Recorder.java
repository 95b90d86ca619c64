package io.twimlagi.dial;

import io.twimlagi.call.ConferenceRequest;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.CallLog;
import io.twimlagi.recording.RecordingCallbackParams;
import io.twimlagi.recording.RecordingClosure;
import io.twimlagi.recording.RecordingStore;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.webhook.CallbackSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Set;

/**
 * Recordings Asterisk writes on its own (a Dial's MixMonitor, a conference's ConfBridge recorder): a file is
 * reserved before, and afterwards it is finished (served under /Recordings like Record's) and reported to the
 * recordingStatusCallback.
 */
public final class Recorder {
    private static final Logger log = LoggerFactory.getLogger(Recorder.class);

    /** A recording in progress: where Asterisk writes it and since when. */
    record Pending(RecordingStore.Recording file, ZonedDateTime started, boolean dual) {
        /**
         * The file as Asterisk writes it, with the extension (MixMonitor and ConfBridge want one): WAV, or for
         * two channels MixMonitor's interleaved raw 16-bit 8 kHz, turned into a WAV when finished.
         */
        String asteriskFile() {
            return file.asteriskName() + (dual ? ".raw" : ".wav");
        }
    }

    /** The finished recording: its sid, URL and length; null when nothing was recorded. */
    record Done(String sid, String url, int seconds) {
    }

    /** How long Asterisk may take to close a conference's recording once the conference ended. */
    static final Duration RENAME_WAIT = Duration.ofSeconds(5);

    private final RecordingStore recordings;
    private final CallbackSender callbacks;
    private final String publicUrl;
    private final RecordingClosure closure;

    private final CallLog callLog;

    public Recorder(RecordingStore recordings, CallbackSender callbacks, String publicUrl, CallLog callLog) {
        this(recordings, callbacks, publicUrl, new RecordingClosure(), callLog);
    }

    Recorder(RecordingStore recordings, CallbackSender callbacks, String publicUrl, RecordingClosure closure) {
        this(recordings, callbacks, publicUrl, closure, CallLog.NONE);
    }

    Recorder(RecordingStore recordings, CallbackSender callbacks, String publicUrl, RecordingClosure closure,
             CallLog callLog) {
        this.callLog = callLog;
        this.recordings = recordings;
        this.callbacks = callbacks;
        this.publicUrl = publicUrl;
        this.closure = closure;
    }

    Pending start() {
        return start(false);
    }

    Pending start(boolean dual) {
        return new Pending(recordings.create(), ZonedDateTime.now(), dual);
    }

    /** MixMonitor's D output (interleaved 16-bit stereo at 8 kHz, no header) becomes a WAV next to it. */
    private static void rawToWav(Pending p) {
        Path wav = p.file().wavFile();
        Path raw = wav.resolveSibling(p.file().sid() + ".raw");
        if (!Files.isRegularFile(raw)) return;
        try {
            long size = Files.size(raw) & ~3L; // whole stereo frames
            ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
            h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + size))
                    .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
                    .putShort((short) 1).putShort((short) 2).putInt(8000).putInt(8000 * 4).putShort((short) 4)
                    .putShort((short) 16).put("data".getBytes(StandardCharsets.US_ASCII))
                    .putInt((int) size);
            try (OutputStream out = Files.newOutputStream(wav);
                 InputStream in = Files.newInputStream(raw)) {
                out.write(h.array());
                in.transferTo(out); // a trailing partial frame is ignored by the header's length
            }
            Files.delete(raw);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot convert " + raw, e);
        }
    }

    /**
     * A Dial's MixMonitor file is complete once StopMixMonitor ran ({@code closedByAsterisk}). Otherwise no event
     * exists: the AGI connection is gone, and Asterisk closes the file when it destroys the channel, on its own
     * thread, telling nobody (a rename command as for conferences would break the sequential Dial's appending);
     * so the file is watched until it stops growing.
     */
    void awaitClosed(Pending p, boolean closedByAsterisk) {
        if (closedByAsterisk) return;
        closure.awaitStill(p.dual() ? p.file().wavFile().resolveSibling(p.file().sid() + ".raw") : p.file().wavFile());
    }

    /**
     * A conference's file appears under its name once Asterisk closed it (renamed by the record command, see
     * {@link ConferenceRequest#recordFile}); waited for at most {@link #RENAME_WAIT}. After that, the file
     * left under its temporary name is taken once it stops growing.
     */
    void awaitConferenceClosed(Pending p, String callSid) {
        Path done = p.file().wavFile();
        Path written = Path.of(ConferenceRequest.writtenAs(done.toString()));
        RecordingClosure.Renamed how = closure.awaitRenamed(written, done, RENAME_WAIT);
        if (how != RecordingClosure.Renamed.NOT_CLOSED) return;
        log.warn("{} recording {}: Asterisk did not rename it within {} s (a long asterisk_media_dir, or its"
                + " command failed); taken once it stops growing", callSid, p.file().sid(), RENAME_WAIT.toSeconds());
        closure.awaitStill(written);
        try {
            Files.move(written, done, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // unless Asterisk renamed it meanwhile
            if (!Files.exists(done)) log.warn("{} recording {}: {}", callSid, p.file().sid(), e.toString());
        }
    }

    /**
     * Finishes the file; sends {@code RecordingStatus=completed} to {@code callbackUrl} (resolved by the caller,
     * may be null) with {@code extra} params (RecordingSource, ConferenceSid...). Null when the file is empty.
     */
    Done finish(Pending p, CallContext ctx, boolean trim, String callbackUrl, HttpMethod method, Set<String> events,
                Map<String, String> extra) {
        if (p.dual()) rawToWav(p);
        RecordingStore.Result result = recordings.finish(p.file(), trim);
        if (result.empty()) {
            log.info("{} recording {}: nothing recorded", ctx.callSid(), p.file().sid());
            return null;
        }
        String url = RecordingStore.url(publicUrl, p.file().sid());
        log.info("{} recording {}: {} s", ctx.callSid(), p.file().sid(), result.durationSeconds());
        String conferenceSid = extra.get("ConferenceSid");
        callLog.recorded(p.file().sid(), conferenceSid == null ? ctx.callSid() : null, conferenceSid,
                p.started().toInstant(), result.durationSeconds(), p.dual() ? 2 : 1,
                extra.getOrDefault("RecordingSource", "DialVerb"));
        if (callbackUrl != null && events.contains("completed")) {
            Map<String, String> params = RecordingCallbackParams.completed(ctx.params().get("AccountSid"),
                    ctx.callSid(), p.file().sid(), url, result.durationSeconds(), p.started());
            params.put("RecordingChannels", p.dual() ? "2" : "1");
            params.putAll(extra);
            callbacks.send(ctx.callSid(), "recordingStatusCallback", callbackUrl, method, params);
        }
        return new Done(p.file().sid(), url, result.durationSeconds());
    }
}
