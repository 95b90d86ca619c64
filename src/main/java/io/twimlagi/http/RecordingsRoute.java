package io.twimlagi.http;

import io.twimlagi.recording.RecordingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET|HEAD /Recordings/{RecordingSid}[.wav|.mp3]} and Twilio's REST form
 * {@code /2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}[.wav|.mp3]}: WAV ({@code audio/x-wav}) without
 * extension or with {@code .wav}, MP3 ({@code audio/mpeg}, encoded on first request) with {@code .mp3}. Basic
 * authentication first, then the path must match exactly (no other characters reach the file system).
 */
final class RecordingsRoute implements Route {
    private static final Logger log = LoggerFactory.getLogger(RecordingsRoute.class);
    private static final Pattern SHORT_PATH = Pattern.compile("/Recordings/(RE[0-9a-fA-F]{32})(\\.wav|\\.mp3)?");
    private static final Pattern REST_PATH = Pattern.compile(
            "/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Recordings/(RE[0-9a-fA-F]{32})(\\.wav|\\.mp3)?");

    private final RecordingStore recordings;
    private final String accountSid;
    private final BasicAuth auth;
    /** Twilio's REST resources at {@code .../Recordings/RE….json} (the REST API's), or null: 404. */
    private volatile Route resources;

    RecordingsRoute(RecordingStore recordings, String accountSid, BasicAuth auth) {
        this.recordings = recordings;
        this.accountSid = accountSid;
        this.auth = auth;
    }

    /** Sends {@code .../Recordings/{Sid}.json} to the REST API. */
    void resources(Route json) {
        this.resources = json;
    }

    @Override
    public void handle(Exchange x) throws IOException {
        Route json = resources;
        if (json != null && x.path().endsWith(".json") && x.pathParam("AccountSid") != null) {
            json.handle(x);
            return;
        }
        if (!x.isGetOrHead()) {
            MethodNotAllowed.send(x);
            return;
        }
        if (!auth.accepts(x.header("Authorization"))) {
            x.responseHeader("WWW-Authenticate", BasicAuth.challenge()).sendText(401, "authentication required\n");
            return;
        }
        String path = x.path();
        Matcher shortPath = SHORT_PATH.matcher(path);
        Matcher restPath = REST_PATH.matcher(path);
        String sid;
        String ext;
        if (shortPath.matches()) {
            sid = shortPath.group(1);
            ext = shortPath.group(2);
        } else if (restPath.matches() && restPath.group(1).equals(accountSid)) {
            sid = restPath.group(2);
            ext = restPath.group(3);
        } else {
            x.sendText(404, "not found\n");
            return;
        }
        if (".mp3".equals(ext)) {
            mp3(x, sid);
        } else {
            Optional<Path> wav = recordings.wav(sid);
            if (wav.isEmpty()) {
                x.sendText(404, "recording not found\n");
                return;
            }
            file(x, "audio/x-wav", wav.get());
        }
    }

    private void mp3(Exchange x, String sid) throws IOException {
        if (!recordings.exists(sid)) {
            x.sendText(404, "recording not found\n");
            return;
        }
        Optional<Path> mp3;
        try {
            mp3 = recordings.mp3(sid);
        } catch (IOException e) {
            log.warn("recording {}: MP3 encoding failed: {}", sid, e.getMessage());
            x.sendText(500, "MP3 encoding failed\n");
            return;
        }
        if (mp3.isEmpty()) {
            x.sendText(404, recordings.exists(sid)
                    ? "MP3 not available: the lame encoder is not installed on this server;"
                      + " request the recording without extension or with .wav\n"
                    : "recording not found\n");
            return;
        }
        file(x, "audio/mpeg", mp3.get());
    }

    private static void file(Exchange x, String type, Path file) throws IOException {
        try {
            x.responseHeader("Accept-Ranges", "none").sendFile(type, file);
        } catch (NoSuchFileException e) {
            x.sendText(404, "recording not found\n");
        }
    }
}
