package io.twimlagi.dial;

import io.twimlagi.engine.CallContext;
import io.twimlagi.engine.DocumentWalker;
import io.twimlagi.engine.Outcome;
import io.twimlagi.engine.VerbRunner;
import io.twimlagi.engine.WalkEnd;
import io.twimlagi.engine.WalkPolicy;
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
import io.twimlagi.verbs.Loops;
import io.twimlagi.verbs.Prompts;
import io.twimlagi.verbs.Tones;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
public final class ConferenceHold {
    private static final Logger log = LoggerFactory.getLogger(ConferenceHold.class);
    static final String DEFAULT_CLASS = "default";
    static final int MAX_DOCUMENTS = 5;
    /** Repeats of one Play/Say written into the playlist (the playlist loops anyway). */
    static final int MAX_REPEATS = 10;
    /** The longest Pause written into a playlist (each second is one file entry). */
    static final int MAX_PAUSE_SECONDS = 60;
    /** Entries in one playlist (named 00000.wav...: Asterisk sorts them by name). */
    static final int MAX_FILES = 2000;

    /** Wait documents: Play, Say, Pause and Redirect (others are skipped), at most {@value #MAX_DOCUMENTS}. */
    static final WalkPolicy WAIT_POLICY = new WalkPolicy("conference wait",
            Set.of(Play.class, Say.class, Pause.class, Redirect.class), true, Set.of(), MAX_DOCUMENTS, MAX_DOCUMENTS,
            null, false);

    private final DocumentWalker walker;
    private final Prompts prompts;
    private final MediaStore store;
    private final HoldMusicClasses classes;

    /** Without a fetcher (tests): a waitUrl falls back to the default class. */
    public ConferenceHold() {
        this(null, null, null, null);
    }

    public ConferenceHold(DocumentWalker walker, Prompts prompts, MediaStore store, HoldMusicClasses classes) {
        this.walker = walker;
        this.prompts = prompts;
        this.store = store;
        this.classes = classes;
    }

    /** The class name for a {@code <Conference waitUrl>}, or null for silence. */
    String classFor(Conference c, CallContext ctx) {
        return classFor(c.waitUrl(), c.waitMethod(), ctx);
    }

    /**
     * The class name for what {@code waitUrl} (a wait URL, or a participant's hold URL from the REST API) plays: the
     * default class when it is null, silence (null) when it is empty.
     */
    String classFor(String waitUrl, HttpMethod method, CallContext ctx) {
        if (waitUrl == null) return DEFAULT_CLASS;
        if (waitUrl.isEmpty()) return null;
        if (walker == null) return DEFAULT_CLASS;
        String url = ctx.resolve(waitUrl);
        try {
            Playlist p = playlist(url, method, ctx);
            if (p == null) {
                log.warn("{} Conference waitUrl {} failed; the default hold music plays", ctx.callSid(), url);
                return DEFAULT_CLASS;
            }
            if (p.files.isEmpty()) {
                log.warn("{} Conference waitUrl {}: nothing to play; waiting in silence", ctx.callSid(), url);
                return null;
            }
            return register(p);
        } catch (IOException | RuntimeException e) {
            log.error("{} Conference waitUrl {}: cannot write the playlist: {}; the default hold music plays",
                    ctx.callSid(), url, e.toString());
            return DEFAULT_CLASS;
        }
    }

    private static final class Playlist {
        final List<Path> files = new ArrayList<>();
        boolean loopLast;
    }

    /** The wait documents' Play, Say and Pause as files, walked under {@link #WAIT_POLICY}; null: a fetch failed. */
    private Playlist playlist(String url, HttpMethod method, CallContext ctx) {
        Playlist p = new Playlist();
        Set<String> seen = new HashSet<>(Set.of(url));
        VerbRunner collect = (verb, doc) -> {
            if (verb instanceof Redirect r) { // back to a document already read: that is where the playlist loops
                String next = doc.resolve(r.url());
                return seen.add(next) ? new Outcome.Navigate(next, r.method(), Map.of()) : Outcome.END;
            }
            if (verb instanceof Play play && play.digits() != null) {
                log.warn("{} Conference waitUrl: <Play digits> is not allowed there; skipped", ctx.callSid());
                return Outcome.NEXT;
            }
            try {
                return add(p, verb, doc) ? Outcome.END : Outcome.NEXT; // a loop="0": nothing after it is heard
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (MediaException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        };
        WalkEnd end = walker.walk(ctx.aside(url), new Outcome.Navigate(url, method, Map.of()), WAIT_POLICY, collect);
        return end == WalkEnd.FETCH_FAILED ? null : p;
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
        Path dir = store.linkFolder("wait", hash, p.files); // the class accounts it in the media cache's budget
        classes.register(new HoldMusicClasses.HoldClass(name, store.asteriskName(dir), p.loopLast, dir));
        return name;
    }
}
