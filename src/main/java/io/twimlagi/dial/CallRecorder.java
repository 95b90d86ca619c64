package io.twimlagi.dial;

import io.twimlagi.call.DialRecording;
import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.CallRecordingRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Records a whole call ({@code Record=true} on a REST-created call): Asterisk's MixMonitor on the call's channel
 * from the answer, stopped when the call ends; the recording is then kept like a Dial's, listed with
 * {@code source} {@code OutboundAPI}, and announced to its {@code RecordingStatusCallback}.
 */
public final class CallRecorder {
    private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);
    private final Recorder recorder;

    public CallRecorder(Recorder recorder) {
        this.recorder = recorder;
    }

    /** One call's recording in progress. */
    public final class Running {
        private final CallContext ctx;
        private final CallRecordingRequest request;
        private final Recorder.Pending file;

        private Running(CallContext ctx, CallRecordingRequest request, Recorder.Pending file) {
            this.ctx = ctx;
            this.request = request;
            this.file = file;
        }

        /** Stops it (the call may be over already), finishes the file and sends its callback. */
        public void finish() {
            try {
                boolean closed = ctx.call().stopCallRecording();
                recorder.awaitClosed(file, closed);
                recorder.finish(file, ctx, request.trim(), request.callbackUrl(), request.callbackMethod(),
                        request.callbackEvents(), Map.of("RecordingSource", "OutboundAPI"));
            } catch (RuntimeException e) { // the call is over either way
                log.error("{} call recording {} not finished: {}", ctx.callSid(), file.file().sid(), e.toString());
            }
        }
    }

    /** Starts recording the call of {@code ctx}, which is answered. */
    public Running start(CallContext ctx, CallRecordingRequest request) {
        Recorder.Pending file = recorder.start(request.dual());
        ctx.call().startCallRecording(new DialRecording(file.asteriskFile(), true, request.dual()));
        return new Running(ctx, request, file);
    }
}
