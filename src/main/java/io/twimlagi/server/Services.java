package io.twimlagi.server;

import io.twimlagi.agi.BridgeBreaker;
import io.twimlagi.ami.AmiClient;
import io.twimlagi.audiosocket.AudioSocketServer;
import io.twimlagi.config.General;
import io.twimlagi.dial.CallRecorder;
import io.twimlagi.dial.ConferenceExecutor;
import io.twimlagi.dial.ConferenceHold;
import io.twimlagi.dial.ConferenceRegistry;
import io.twimlagi.dial.DialExecutor;
import io.twimlagi.dial.DialSessions;
import io.twimlagi.dial.Recorder;
import io.twimlagi.dial.Screening;
import io.twimlagi.engine.ApplicationError;
import io.twimlagi.engine.CallLog;
import io.twimlagi.engine.DocumentFetcher;
import io.twimlagi.engine.DocumentWalker;
import io.twimlagi.engine.VerbDispatch;
import io.twimlagi.engine.VerbRunner;
import io.twimlagi.media.AudioLibrary;
import io.twimlagi.media.HoldMusicClasses;
import io.twimlagi.media.MediaCache;
import io.twimlagi.media.MediaException;
import io.twimlagi.media.MediaStore;
import io.twimlagi.media.OwnRecordings;
import io.twimlagi.media.SpeechCache;
import io.twimlagi.media.Tts;
import io.twimlagi.metrics.Metrics;
import io.twimlagi.queue.Queues;
import io.twimlagi.recording.RecordingStore;
import io.twimlagi.records.RecordStore;
import io.twimlagi.records.SqliteRecordStore;
import io.twimlagi.sip.CredentialEndpoints;
import io.twimlagi.sip.SipCapture;
import io.twimlagi.stream.MediaStreams;
import io.twimlagi.verbs.Prompts;
import io.twimlagi.verbs.RecordExecutor;
import io.twimlagi.verbs.ReferExecutor;
import io.twimlagi.verbs.SpokenApplicationError;
import io.twimlagi.verbs.VerbExecutors;
import io.twimlagi.webhook.AppWebSockets;
import io.twimlagi.webhook.CallbackSender;
import io.twimlagi.webhook.OutboundGuard;
import io.twimlagi.webhook.OwnAddresses;
import io.twimlagi.webhook.WebhookClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The composition root: every service calls use, built once from {@code [general]} in one place (the server and
 * the tests build it the same way). Nothing here listens on a port; {@link TwimlAgiServer} does.
 */
public final class Services implements AutoCloseable {
    private final General general;
    private final LiveCalls liveCalls = new LiveCalls();
    private final Metrics metrics = new Metrics(liveCalls::size);
    private final WebhookClient webhooks;
    private final CallbackSender callbacks;
    private final MediaStore store;
    private final RecordingStore recordings;
    private final HoldMusicClasses holdClasses;
    private final CredentialEndpoints credentialEndpoints = new CredentialEndpoints();
    /** Asterisk's HEP copy of SIP messages (hep.conf); null when sip_capture = off. */
    private final SipCapture capture;
    private final DocumentWalker walker;
    /** Call and recording records (the REST API's resources). */
    private final RecordStore records;
    private final CallLog callLog;
    private final ApplicationError applicationError;
    private final DialSessions dialSessions;
    private final VerbDispatch verbs;
    private final VerbRunner runner;
    /** Whole-call recordings (REST calls with Record=true). */
    private final CallRecorder callRecorder;
    /** Asterisk's manager (ami_username/ami_secret); null when AMI is off. Connects in the background. */
    private final AmiClient ami;
    /** Ends a call's Dial or conference for a live update (through AMI; nothing without it). */
    private final BridgeBreaker bridgeBreaker;
    /** Media Streams: Asterisk's AudioSocket connections (listening once the server starts), the apps' WebSockets. */
    private final AudioSocketServer audioSockets;
    private final AppWebSockets appSockets;
    private final MediaStreams streams;
    /** The conferences in progress and their participants (the REST API's Conferences resources). */
    private final ConferenceRegistry conferenceRegistry;
    /** The call queues (Enqueue, Dial Queue, the Queues REST resource). */
    private final Queues queues;

    private Services(General g, Tts tts) throws IOException, MediaException {
        this.general = g;
        store = new MediaStore(g.mediaDir(), g.asteriskMediaDir().toString());
        MediaCache mediaCache = new MediaCache(store, g.mediaCacheBytes(), metrics::cache);
        SpeechCache speech = new SpeechCache(tts, store, mediaCache);
        holdClasses = new HoldMusicClasses(mediaCache);
        applicationError = new SpokenApplicationError(speech);
        // no outgoing request may reach our own listeners (nor link-local addresses): README "Security"
        List<InetSocketAddress> own = new ArrayList<>(List.of(g.httpBind(), g.agiBind()));
        if (g.realtime() != null) own.add(g.realtime().bind());
        if (g.audioSocketBind() != null) own.add(g.audioSocketBind());
        OutboundGuard guard = new OutboundGuard(new OwnAddresses(own));
        webhooks = new WebhookClient(g.authToken(), g.webhookConnectTimeout(), g.webhookTimeout(), guard);
        callbacks = new CallbackSender(webhooks);
        recordings = new RecordingStore(g.mediaDir(), g.asteriskMediaDir().toString());
        records = SqliteRecordStore.open(g.recordsDb(), g.callLogRetention());
        StaleRecords.close(records);
        callLog = new StoredCallLog(records, g.accountSid());
        walker = new DocumentWalker(new DocumentFetcher(webhooks, metrics));
        AudioLibrary audio = new AudioLibrary(store, mediaCache,
                new OwnRecordings(g.publicUrl(), g.accountSid(), g.authToken(), recordings::wav), guard);
        capture = g.sipCapture() == null ? null // listens once all is up
                : new SipCapture(g.sipCapturePassword(), g.sipCaptureAllow());
        Prompts prompts = new Prompts(speech, audio);
        Recorder recorder = new Recorder(recordings, callbacks, g.publicUrl(), callLog);
        callRecorder = new CallRecorder(recorder);
        // AMI starts last (nothing to stop if building fails before); the registry reaches it when asked
        conferenceRegistry = new ConferenceRegistry(records::saveConference,
                g.ami() == null ? null : new AmiBridgeControl(this::ami));
        ConferenceExecutor conferences = ConferenceExecutor.create(store,
                new ConferenceHold(walker, prompts, store, holdClasses), recorder, callbacks, conferenceRegistry);
        VerbExecutors mediaVerbs = VerbExecutors.media(prompts, applicationError);
        dialSessions = new DialSessions(capture, new Screening(walker, mediaVerbs));
        queues = Queues.create(store, walker, VerbRunner.onCall(mediaVerbs), metrics, callbacks);
        DialExecutor dial = new DialExecutor(conferences, dialSessions, recorder, callbacks,
                new DialExecutor.SipAuth(credentialEndpoints, g.dialSipAuthOptions()), capture, callLog);
        audioSockets = new AudioSocketServer(g.agiAllow());
        appSockets = new AppWebSockets(g.authToken(), g.webhookConnectTimeout(),
                g.webhookConnectTimeout().plus(g.webhookTimeout()), guard);
        streams = g.audioSocketBind() == null ? null : new MediaStreams(appSockets, audioSockets, callbacks,
                g.webhookConnectTimeout().plus(g.webhookTimeout()),
                g.streamPlayout() == General.StreamPlayout.SHED_SILENCE);
        verbs = new VerbExecutors(prompts,
                new RecordExecutor(recordings, callbacks, g.publicUrl(), RecordExecutor.beepPrompt(store), callLog),
                new ReferExecutor(Duration.ofSeconds(g.referTimeoutSeconds()), capture), dial, streams,
                applicationError, queues);
        runner = VerbRunner.onCall(verbs);
        ami = g.ami() == null ? null : AmiClient.start(g.ami());
        bridgeBreaker = ami == null ? BridgeBreaker.NONE : new AmiBridgeBreaker(ami);
    }

    /** Builds everything for {@code [general]}, with {@code tts} speaking {@code <Say>}. */
    public static Services build(General general, Tts tts) throws IOException {
        try {
            return new Services(general, tts);
        } catch (MediaException e) {
            throw new IOException("cannot write the Record and conference tones: " + e.getMessage(), e);
        }
    }

    public General general() { return general; }
    public LiveCalls liveCalls() { return liveCalls; }
    public Metrics metrics() { return metrics; }
    public CallbackSender callbacks() { return callbacks; }
    public RecordingStore recordings() { return recordings; }
    public HoldMusicClasses holdClasses() { return holdClasses; }
    public CredentialEndpoints credentialEndpoints() { return credentialEndpoints; }
    public SipCapture capture() { return capture; }
    public DocumentWalker walker() { return walker; }
    public RecordStore records() { return records; }
    public CallLog callLog() { return callLog; }
    public ApplicationError applicationError() { return applicationError; }
    public DialSessions dialSessions() { return dialSessions; }
    public VerbDispatch verbs() { return verbs; }
    public VerbRunner runner() { return runner; }
    public CallRecorder callRecorder() { return callRecorder; }
    /** Null when AMI is off (no ami_username/ami_secret). */
    public AmiClient ami() { return ami; }
    public BridgeBreaker bridgeBreaker() { return bridgeBreaker; }
    /** Null when audiosocket_bind is off. */
    public MediaStreams streams() { return streams; }
    /** Where Asterisk's AudioSocket connections come; {@link AudioSocketServer#listen} starts it. */
    public AudioSocketServer audioSockets() { return audioSockets; }
    public ConferenceRegistry conferences() { return conferenceRegistry; }
    public Queues queues() { return queues; }

    @Override
    public void close() {
        if (bridgeBreaker instanceof AmiBridgeBreaker b) b.close();
        if (ami != null) ami.close();
        if (capture != null) capture.close();
        if (streams != null) streams.close();
        audioSockets.close();
        appSockets.close();
        callbacks.close();
        webhooks.close();
        records.close(); // commits what is queued: a graceful stop loses no record
    }
}
