package io.twimlagi.dial;

import io.twimlagi.engine.CallContext;
import io.twimlagi.recording.RecordingCallbackParams;
import io.twimlagi.recording.RecordingStore;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.webhook.CallbackSender;
import io.twimlagi.webhook.WebhookRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private final RecordingStore recordings;
    private final CallbackSender callbacks;
    private final String publicUrl;

    public Recorder(RecordingStore recordings, CallbackSender callbacks, String publicUrl) {
        this.recordings = recordings;
        this.callbacks = callbacks;
        this.publicUrl = publicUrl;
    }

    Pending start() {
        return start(false);
    }

    Pending start(boolean dual) {
        return new Pending(recordings.create(), ZonedDateTime.now(), dual);
    }

    /** MixMonitor's D output (interleaved 16-bit stereo at 8 kHz, no header) becomes a WAV next to it. */
    private static void rawToWav(Pending p) {
        java.nio.file.Path wav = p.file().wavFile();
        java.nio.file.Path raw = wav.resolveSibling(p.file().sid() + ".raw");
        if (!java.nio.file.Files.isRegularFile(raw)) return;
        try {
            long size = java.nio.file.Files.size(raw) & ~3L; // whole stereo frames
            java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(44).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            h.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + size))
                    .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                    .putShort((short) 1).putShort((short) 2).putInt(8000).putInt(8000 * 4).putShort((short) 4)
                    .putShort((short) 16).put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .putInt((int) size);
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(wav);
                 java.io.InputStream in = java.nio.file.Files.newInputStream(raw)) {
                out.write(h.array());
                in.transferTo(out); // a trailing partial frame is ignored by the header's length
            }
            java.nio.file.Files.delete(raw);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot convert " + raw, e);
        }
    }

    /**
     * Waits (at most 2 s) until the file stops growing: Asterisk's recorder closes it on its own thread a moment
     * after the bridge ends, and a file read before that would lose its last frames.
     */
    void awaitClosed(Pending p) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        long size = -1;
        try {
            java.nio.file.Path written = p.dual()
                    ? p.file().wavFile().resolveSibling(p.file().sid() + ".raw") : p.file().wavFile();
            int missing = 0;
            while (System.nanoTime() < deadline) {
                long now = java.nio.file.Files.exists(written) ? java.nio.file.Files.size(written) : -1;
                if (now >= 0 && now == size) return;
                if (now < 0 && ++missing >= 2) return; // never written (a Dial that was not answered)
                size = now;
                Thread.sleep(100);
            }
        } catch (java.io.IOException e) {
            log.debug("recording {}: {}", p.file().sid(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        if (callbackUrl != null && events.contains("completed")) {
            Map<String, String> params = RecordingCallbackParams.completed(ctx.params().get("AccountSid"),
                    ctx.callSid(), p.file().sid(), url, result.durationSeconds(), p.started());
            params.put("RecordingChannels", p.dual() ? "2" : "1");
            params.putAll(extra);
            callbacks.send(ctx.callSid(), "recordingStatusCallback", new WebhookRequest(callbackUrl, method, params));
        }
        return new Done(p.file().sid(), url, result.durationSeconds());
    }
}
