package io.twimlagi.media;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Audio for {@code <Play>}: fetched once (http(s) or {@code file:}), converted for Asterisk, kept on disk.
 * HTTP entries are revalidated with ETag / Last-Modified when Cache-Control says they are stale; concurrent calls
 * playing the same URL share one download. Twilio sends no call parameters on media fetches, neither do we.
 */
public final class AudioLibrary {
    /** About 40 minutes of 16-bit 8 kHz audio, Twilio's practical limit; compressed sources are smaller. */
    static final int MAX_BYTES = 64 * 1024 * 1024;
    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");

    private final MediaStore store;
    private final OkHttpClient http;
    private final SingleFlight flights = new SingleFlight();
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(Path file, String etag, String lastModified, long freshUntilMillis) {
    }

    public AudioLibrary(MediaStore store) {
        this.store = store;
        this.http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(30)).build();
    }

    /** The Asterisk name (no extension) of the audio at {@code url}, fetching and converting it when needed. */
    public String audio(String url) throws MediaException {
        String key = MediaStore.sha256(url);
        Entry e = entries.get(key);
        if (e != null && e.freshUntilMillis() > System.currentTimeMillis() && Files.exists(e.file())) {
            return store.asteriskName(e.file());
        }
        flights.run(key, () -> entries.put(key, load(url, key, entries.get(key))));
        return store.asteriskName(entries.get(key).file());
    }

    private Entry load(String url, String key, Entry previous) throws MediaException {
        String scheme = url.contains(":") ? url.substring(0, url.indexOf(':')).toLowerCase(Locale.ROOT) : "";
        Path file;
        try {
            file = store.wavFile("play", key);
        } catch (IOException e) {
            throw new MediaException(12400, "media folder: " + e.getMessage(), e);
        }
        if (scheme.equals("file")) return loadFile(url, file);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new MediaException(11100, "invalid Play URL: " + url);
        }
        Request.Builder req;
        try {
            req = new Request.Builder().url(url).header("User-Agent", "TwilioProxy/1.1");
        } catch (IllegalArgumentException bad) {
            throw new MediaException(11100, "invalid Play URL: " + url);
        }
        boolean haveCopy = previous != null && Files.exists(previous.file());
        if (haveCopy && previous.etag() != null) req.header("If-None-Match", previous.etag());
        if (haveCopy && previous.lastModified() != null) req.header("If-Modified-Since", previous.lastModified());
        try (Response r = http.newCall(req.build()).execute()) {
            long fresh = freshUntil(r.header("Cache-Control"));
            if (r.code() == 304 && haveCopy) {
                return new Entry(previous.file(), previous.etag(), previous.lastModified(), fresh);
            }
            if (!r.isSuccessful()) throw new MediaException(11200, "Play URL returned HTTP " + r.code() + ": " + url);
            ResponseBody body = r.body();
            String type = body.contentType() == null ? "" : body.contentType().type() + "/" + body.contentType().subtype();
            if (!type.isEmpty() && !type.startsWith("audio/") && !type.equals("application/octet-stream")) {
                throw new MediaException(13420, "Play URL is " + type + ", not audio: " + url);
            }
            try (InputStream in = body.byteStream()) {
                AudioConverter.toAsteriskWav(AudioConverter.readLimited(in, MAX_BYTES), file);
            }
            return new Entry(file, r.header("ETag"), r.header("Last-Modified"), fresh);
        } catch (IOException e) {
            throw new MediaException(11200, "cannot fetch " + url + ": " + e.getMessage(), e);
        }
    }

    private static Entry loadFile(String url, Path target) throws MediaException {
        Path source;
        try {
            source = Path.of(URI.create(url));
        } catch (IllegalArgumentException e) {
            throw new MediaException(11100, "invalid file URL: " + url);
        }
        try (InputStream in = Files.newInputStream(source)) {
            AudioConverter.toAsteriskWav(AudioConverter.readLimited(in, MAX_BYTES), target);
            // files are re-read when they change on disk
            return new Entry(target, null, null, System.currentTimeMillis() + 5_000);
        } catch (IOException e) {
            throw new MediaException(11200, "cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /** HTTP caching as Twilio does it: no-cache/no-store revalidate every time; max-age keeps the copy fresh. */
    static long freshUntil(String cacheControl) {
        long now = System.currentTimeMillis();
        if (cacheControl == null) return now;
        String cc = cacheControl.toLowerCase(Locale.ROOT);
        if (cc.contains("no-cache") || cc.contains("no-store")) return now;
        Matcher m = MAX_AGE.matcher(cc);
        return m.find() ? now + Math.min(Long.parseLong(m.group(1)), 31_536_000L) * 1000 : now;
    }
}
