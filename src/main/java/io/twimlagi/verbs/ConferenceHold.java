package io.twimlagi.verbs;

import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.DocumentFetcher;
import io.twimlagi.engine.FetchException;
import io.twimlagi.media.HoldMusicClasses;
import io.twimlagi.media.MediaException;
import io.twimlagi.media.MediaStore;
import io.twimlagi.twiml.Conference;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.Pause;
import io.twimlagi.twiml.Play;
import io.twimlagi.twiml.Redirect;
import io.twimlagi.twiml.Say;
import io.twimlagi.twiml.Verb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a participant hears while waiting for the conference to start or while alone in it: an Asterisk
 * music-on-hold class. No waitUrl: the {@code default} class of musiconhold.conf (Twilio plays its classical
 * playlist); {@code waitUrl=""}: silence. A waitUrl is fetched (POST by default, the call's parameters) and its
 * Play, Say and Pause become a folder of audio files, served to Asterisk as a run-time class
 * ({@link HoldMusicClasses}); a Redirect appends the next document (up to {@link #MAX_DOCUMENTS}), a Redirect back
 * to a document already read is where the playlist loops. Asterisk loops the whole folder, or only its last file
 * when that is a {@code <Play loop="0">} (Twilio's usual "announcement, then music forever").
 */
class ConferenceHold {
    private static final Logger log = LoggerFactory.getLogger(ConferenceHold.class);
    static final String DEFAULT_CLASS = "default";
    static final int MAX_DOCUMENTS = 5;
    /** Repeats of one Play/Say written into the playlist (the playlist loops anyway). */
    static final int MAX_REPEATS = 10;
    /** The longest Pause written into a playlist (each second is one file entry). */
    static final int MAX_PAUSE_SECONDS = 60;
    /** Entries in one playlist (named 00000.wav...: Asterisk sorts them by name). */
    static final int MAX_FILES = 2000;

    private final DocumentFetcher fetcher;
    private final Prompts prompts;
    private final MediaStore store;
    private final HoldMusicClasses classes;

    /** Without a fetcher (tests): a waitUrl falls back to the default class. */
    ConferenceHold() {
        this(null, null, null, null);
    }

    ConferenceHold(DocumentFetcher fetcher, Prompts prompts, MediaStore store, HoldMusicClasses classes) {
        this.fetcher = fetcher;
        this.prompts = prompts;
        this.store = store;
        this.classes = classes;
    }

    /** The class name, or null for silence. */
    String classFor(Conference c, CallContext ctx) {
        if (c.waitUrl() == null) return DEFAULT_CLASS;
        if (c.waitUrl().isEmpty()) return null;
        if (fetcher == null) return DEFAULT_CLASS;
        String url = ctx.resolve(c.waitUrl());
        try {
            Playlist p = playlist(url, c.waitMethod(), ctx);
            if (p.files.isEmpty()) {
                log.warn("{} Conference waitUrl {}: nothing to play; waiting in silence", ctx.callSid(), url);
                return null;
            }
            return register(p);
        } catch (FetchException e) {
            log.warn("{} Conference waitUrl {} failed: error {} {}; the default hold music plays", ctx.callSid(), url,
                    e.code(), e.getMessage());
            return DEFAULT_CLASS;
        } catch (IOException | MediaException | RuntimeException e) {
            log.error("{} Conference waitUrl {}: cannot write the playlist: {}; the default hold music plays",
                    ctx.callSid(), url, e.toString());
            return DEFAULT_CLASS;
        }
    }

    private static final class Playlist {
        final List<Path> files = new ArrayList<>();
        boolean loopLast;
    }

    private Playlist playlist(String url, HttpMethod method, CallContext ctx)
            throws FetchException, IOException, MediaException {
        Playlist p = new Playlist();
        Set<String> seen = new HashSet<>();
        DocumentFetcher.ForCall documents = fetcher.forCall(ctx.domain().fileRoot());
        for (int d = 0; d < MAX_DOCUMENTS && url != null && seen.add(url) && !p.loopLast; d++) {
            DocumentFetcher.Fetched f = documents.fetch(url, method, ctx.params());
            url = null;
            for (Verb verb : f.document().verbs()) {
                if (verb instanceof Redirect r) {
                    url = CallContext.resolve(f.url(), r.url());
                    method = r.method();
                    break;
                }
                if (verb instanceof Play play && play.digits() == null) {
                    verb = new Play(CallContext.resolve(f.url(), play.url()), play.loop(), null, play.line());
                } else if (!(verb instanceof Say || verb instanceof Pause)) {
                    log.warn("{} Conference waitUrl: <{}> is not allowed there (Play, Say, Pause, Redirect); "
                            + "skipped", ctx.callSid(), verb.name());
                    continue;
                }
                if (add(p, verb, ctx)) break; // a loop="0": nothing after it is ever heard
            }
        }
        return p;
    }

    /** Adds a verb's files; true when it loops forever. */
    private boolean add(Playlist p, Verb verb, CallContext ctx) throws IOException, MediaException {
        int loop = verb instanceof Play play ? play.loop() : verb instanceof Say say ? say.loop() : 1;
        List<Path> files = new ArrayList<>();
        for (Prompts.Step step : prompts.of(verb, ctx).steps()) {
            if (step instanceof Prompts.Audio a) {
                hostFile(a.asteriskName()).ifPresent(files::add);
            } else { // whole seconds of one shared 1 s file, capped, then the rest: no file of a Pause's length
                long ms = Math.min(MAX_PAUSE_SECONDS * 1000L, ((Prompts.Silence) step).length().toMillis());
                Path second = Tones.wav(store, "silence-1000ms", 0, 1000);
                for (long i = 0; i < ms / 1000; i++) files.add(second);
                if (ms % 1000 > 0) files.add(Tones.wav(store, "silence-" + (ms % 1000) + "ms", 0, (int) (ms % 1000)));
            }
        }
        if (files.isEmpty()) return false;
        boolean forever = loop <= 0 && files.size() == 1;
        for (int i = 0; i < (forever ? 1 : Math.min(Loops.count(loop), MAX_REPEATS)); i++) {
            if (p.files.size() + files.size() > MAX_FILES) return true; // long enough: the playlist loops anyway
            p.files.addAll(files);
        }
        p.loopLast = forever;
        return forever;
    }

    /** The host file behind an Asterisk name of the store (any extension Asterisk may play). */
    private Optional<Path> hostFile(String asteriskName) {
        Path base = store.hostFile(asteriskName);
        for (String ext : List.of(".wav", ".ulaw", ".alaw", ".sln", ".gsm")) {
            Path f = base.resolveSibling(base.getFileName() + ext);
            if (Files.isRegularFile(f)) return Optional.of(f);
        }
        return Optional.empty();
    }

    /** Links the files into a folder named after their list, registers the class, returns its name. */
    private String register(Playlist p) throws IOException {
        String hash = MediaStore.sha256(p.files.toString(), Boolean.toString(p.loopLast)).substring(0, 16);
        String name = "twiml-wait-" + hash;
        Path dir = store.hostDir().resolve("wait").resolve(hash);
        if (!Files.isDirectory(dir)) {
            Path waitDir = Files.createDirectories(store.hostDir().resolve("wait"));
            Path tmp = Files.createTempDirectory(waitDir, "new-");
            try {
            for (int i = 0; i < p.files.size(); i++) {
                Path src = p.files.get(i);
                String ext = src.getFileName().toString().substring(src.getFileName().toString().lastIndexOf('.'));
                Path target = tmp.resolve(String.format("%05d%s", i, ext));
                try {
                    Files.createLink(target, src);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(src, target);
                }
            }
            // createTempDirectory makes it private; Asterisk (another user) must read it
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            try {
                Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.isDirectory(dir)) throw raced;
                // another call wrote the same playlist first
            }
            } finally {
                HoldMusicClasses.deleteTree(tmp); // left only when the move did not happen
            }
        }
        classes.register(new HoldMusicClasses.HoldClass(name, store.asteriskName(dir), p.loopLast, dir));
        return name;
    }
}
