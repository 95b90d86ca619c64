package io.twimlagi.media;

import io.twimlagi.util.SingleFlight;
import io.twimlagi.webhook.BasicAuth;
import io.twimlagi.webhook.OutboundGuard;
import io.twimlagi.webhook.UrlPolicy;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Audio for {@code <Play>}: fetched once (http(s), or {@code file:} where {@link UrlPolicy} allows it), converted
 * for Asterisk, kept on disk. HTTP entries are revalidated with ETag / Last-Modified when Cache-Control says they
 * are stale; concurrent calls playing the same URL share one download. Twilio sends no call parameters on media
 * fetches, neither do we. Redirects are followed, each hop checked by the {@link OutboundGuard}; a fetch takes at
 * most 5 s to connect and 30 s in all. A body over 64 MB or with a
 * non-audio Content-Type is error 13420. Converted files count against the {@link MediaCache} budget; an evicted
 * one leaves the URL index with it and is fetched again on its next use.
 *
 * <p>Memory stays bounded whatever the bodies: a body streams into a private temporary file beside its cache file
 * (counted while it streams, so the limit holds without a Content-Length), and is converted from that file by
 * streams. At most {@code conversions} conversions run at once (default: the number of cores); more calls wait
 * for a turn rather than fail.
 */
public final class AudioLibrary {
    /** About 40 minutes of 16-bit 8 kHz audio, Twilio's practical limit; compressed sources are smaller. */
    static final int MAX_BYTES = 64 * 1024 * 1024;
    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");

    private final MediaStore store;
    private final MediaCache cache;
    private final int maxBytes;
    private final OkHttpClient http;
    private final SingleFlight<MediaException> flights = new SingleFlight<>(MediaException.class,
            e -> new MediaException(12400, String.valueOf(e), e));
    /** URL hash to the cache file: an entry leaves when MediaCache evicts its file. */
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Semaphore conversions;

    /**
     * A converted file; for a {@code file:} source, {@code source} is its size and modification time when it was
     * converted (null for HTTP sources), so a stale entry whose file is unchanged is kept without converting again.
     */
    private record Entry(Path file, String etag, String lastModified, long freshUntilMillis, String source) {
        Entry(Path file, String etag, String lastModified, long freshUntilMillis) {
            this(file, etag, lastModified, freshUntilMillis, null);
        }
    }

    /** How long a {@code file:} source is played without looking at it again. */
    static final long FILE_RECHECK_MILLIS = 5_000;
    private final LongSupplier clock;

    private final OwnRecordings own;

    public AudioLibrary(MediaStore store, MediaCache cache) {
        this(store, cache, MAX_BYTES);
    }

    /**
     * @param own   our own recording URLs (played from disk, or fetched with the account's credentials)
     * @param guard where downloads may not connect (our own listeners, link-local addresses)
     */
    public AudioLibrary(MediaStore store, MediaCache cache, OwnRecordings own, OutboundGuard guard) {
        this(store, cache, MAX_BYTES, own, guard, Runtime.getRuntime().availableProcessors());
    }

    /** Without a disk budget (tests). */
    public AudioLibrary(MediaStore store) {
        this(store, MediaCache.unbounded());
    }

    AudioLibrary(MediaStore store, MediaCache cache, int maxBytes) {
        this(store, cache, maxBytes, null, OutboundGuard.linkLocalOnly(), Runtime.getRuntime().availableProcessors());
    }

    AudioLibrary(MediaStore store, MediaCache cache, int maxBytes, OwnRecordings own, OutboundGuard guard,
                 int conversions) {
        this(store, cache, maxBytes, own, guard, conversions, System::currentTimeMillis);
    }

    /** @param clock the time in milliseconds, for freshness (tests move it) */
    AudioLibrary(MediaStore store, MediaCache cache, int maxBytes, OwnRecordings own, OutboundGuard guard,
                 int conversions, LongSupplier clock) {
        this.clock = clock;
        this.own = own;
        this.store = store;
        this.cache = cache;
        this.maxBytes = maxBytes;
        this.conversions = new Semaphore(Math.max(1, conversions), true);
        this.http = guard.applyTo(new OkHttpClient.Builder()).connectTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(30)).followRedirects(true).followSslRedirects(true)
                .authenticator(BasicAuth.fromUserInfo()).build(); // user:password@ as Twilio sends it
        cache.onEvicted(this::evicted);
    }

    /** Drops the index entry of an evicted {@code play/<key>.wav}. */
    private void evicted(Path file) {
        String name = file.getFileName().toString();
        Path dir = file.getParent();
        if (dir != null && dir.getFileName().toString().equals("play") && name.endsWith(".wav")) {
            entries.remove(name.substring(0, name.length() - ".wav".length()));
        }
    }

    /** URLs in the index (tests). */
    int indexed() {
        return entries.size();
    }

    /** The audio at an http(s) URL; a {@code file:} one is refused (see {@link #audio(String, Path)}). */
    public String audio(String url) throws MediaException {
        return audio(url, null);
    }

    /**
     * The Asterisk name (no extension) of the audio at {@code url}, fetching and converting it when needed. A
     * {@code file:} URL is read only below {@code fileRoot} (null: never) as {@link UrlPolicy} allows; it and any
     * other URL that is not http(s) is refused with 13420 whether or not the file exists.
     */
    public String audio(String url, Path fileRoot) throws MediaException {
        Path local = admitted(url, fileRoot); // before the cache: another domain's copy is no permission
        String key = MediaStore.sha256(url);
        Entry e = entries.get(key);
        if (e != null && e.freshUntilMillis() > clock.getAsLong() && Files.exists(e.file())) {
            cache.used(e.file());
            return store.asteriskName(e.file());
        }
        Entry loaded = flights.run(key, () -> {
            Entry fresh = load(url, local, key, entries.get(key));
            entries.put(key, fresh);
            cache.added(fresh.file());
            return fresh;
        });
        return store.asteriskName(loaded.file());
    }

    /** The real path of an allowed file: URL, null for an http(s) URL; throws for anything refused. */
    private static Path admitted(String url, Path fileRoot) throws MediaException {
        if (UrlPolicy.isWeb(url)) return null;
        if (UrlPolicy.isFile(url)) {
            try {
                return UrlPolicy.localFile(url, fileRoot);
            } catch (UrlPolicy.RefusedUrlException e) {
                throw new MediaException(13420, "Play URL refused: " + e.getMessage());
            }
        }
        if (!url.contains(":")) throw new MediaException(11100, "invalid Play URL: " + url);
        throw new MediaException(13420, "Play URL refused: " + UrlPolicy.whyRefused(url));
    }

    private Entry load(String url, Path local, String key, Entry previous) throws MediaException {
        Entry loaded = fetch(url, local, key, previous);
        // a 304 for a copy evicted meanwhile: fetch it again, unconditionally
        return loaded != null ? loaded : fetch(url, local, key, null);
    }

    /** The entry, or null when the server said 304 but the copy has gone meanwhile. */
    private Entry fetch(String url, Path local, String key, Entry previous) throws MediaException {
        Path file;
        try {
            file = store.wavFile("play", key);
        } catch (IOException e) {
            throw new MediaException(12400, "media folder: " + e.getMessage(), e);
        }
        if (local != null) return loadFile(local, file, previous);
        Optional<String> recording = own == null ? Optional.empty() : own.recordingSid(url);
        Optional<Path> ownCopy = recording.flatMap(sid -> own.localWav().apply(sid));
        if (ownCopy.isPresent()) return loadFile(ownCopy.get(), file, previous);
        Request.Builder req;
        try {
            req = new Request.Builder().url(url).header("User-Agent", "TwilioProxy/1.1");
            if (recording.isPresent()) {
                req.header("Authorization", Credentials.basic(own.accountSid(), own.authToken()));
            }
        } catch (IllegalArgumentException bad) {
            throw new MediaException(11100, "invalid Play URL: " + url);
        }
        boolean haveCopy = previous != null && Files.exists(previous.file());
        if (haveCopy && previous.etag() != null) req.header("If-None-Match", previous.etag());
        if (haveCopy && previous.lastModified() != null) req.header("If-Modified-Since", previous.lastModified());
        Path body;
        String decodeAs;
        Entry loaded;
        try (Response r = http.newCall(req.build()).execute()) {
            long fresh = freshUntil(r.header("Cache-Control"), clock.getAsLong());
            if (r.code() == 304 && haveCopy) {
                if (!Files.exists(previous.file())) return null;
                return new Entry(previous.file(), previous.etag(), previous.lastModified(), fresh);
            }
            if (!r.isSuccessful()) throw new MediaException(11200, "Play URL returned HTTP " + r.code() + ": " + url);
            ResponseBody rb = r.body();
            String type = rb.contentType() == null ? ""
                    : (rb.contentType().type() + "/" + rb.contentType().subtype()).toLowerCase(Locale.ROOT);
            if (!type.isEmpty() && !type.startsWith("audio/") && !type.equals("application/octet-stream")) {
                throw new MediaException(13420, "Play URL is " + type + ", not audio: " + url);
            }
            if (rb.contentLength() > maxBytes) {
                throw new MediaException(13420, "audio larger than " + maxBytes + " bytes: " + url);
            }
            // no type, or a generic one: a .ulaw/.alaw... name still says how to read a headerless body
            decodeAs = type.isEmpty() || type.equals("application/octet-stream")
                    ? AudioConverter.typeForFileName(r.request().url().encodedPath()) : type;
            body = saveLimited(rb.byteStream(), file, url);
            loaded = new Entry(file, r.header("ETag"), r.header("Last-Modified"), fresh);
        } catch (IOException e) {
            String why = OutboundGuard.refusalIn(e).map(Exception::getMessage).orElse(e.getMessage());
            throw new MediaException(11200, "cannot fetch " + url + ": " + why, e);
        }
        // the connection is released before the (possibly queued) conversion
        convert(body, decodeAs, file);
        return loaded;
    }

    /**
     * A local file, converted into {@code target}; when {@code previous} was converted from the same file as it is
     * now (same size and modification time) and is still on disk, that copy is kept: a file played by every call
     * costs one stat every {@link #FILE_RECHECK_MILLIS}, not a copy and a conversion.
     */
    private Entry loadFile(Path source, Path target, Entry previous) throws MediaException {
        String stamp = stamp(source);
        if (previous != null && stamp != null && stamp.equals(previous.source()) && Files.exists(previous.file())) {
            return new Entry(previous.file(), null, null, clock.getAsLong() + FILE_RECHECK_MILLIS, stamp);
        }
        InputStream in;
        try {
            in = Files.newInputStream(source);
        } catch (IOException e) {
            throw new MediaException(11200, "cannot read " + source + ": " + e.getMessage(), e);
        }
        Path copy = saveLimited(in, target, source.toString());
        convert(copy, AudioConverter.typeForFileName(source.getFileName() == null ? null
                : source.getFileName().toString()), target);
        // files are re-read when they change on disk
        return new Entry(target, null, null, clock.getAsLong() + FILE_RECHECK_MILLIS, stamp);
    }

    /** A file's size and modification time (its identity for the cache); null when it cannot be read. */
    private static String stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() + "@" + a.lastModifiedTime() + "@" + a.fileKey(); // full precision, and the inode
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Streams {@code in} (closed here) into a private temporary file beside {@code target}, at most
     * {@link #maxBytes}: more is 13420 as soon as it arrives, a read error 11200. The file is deleted on any
     * failure.
     */
    private Path saveLimited(InputStream in, Path target, String what) throws MediaException {
        Path part;
        try {
            // "<key>.wav.tmp-…": MediaCache deletes it at start if a crash left it
            part = Files.createTempFile(target.getParent(), target.getFileName() + ".tmp-download-", "");
        } catch (IOException e) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing was read
            }
            throw new MediaException(12400, "media folder: " + e.getMessage(), e);
        }
        boolean saved = false;
        try (in; OutputStream out = Files.newOutputStream(part)) {
            byte[] buf = new byte[16384];
            long total = 0;
            for (int n; (n = read(in, buf, what)) >= 0; ) {
                total += n;
                if (total > maxBytes) throw new MediaException(13420, "audio larger than " + maxBytes + " bytes: " + what);
                out.write(buf, 0, n);
            }
            saved = true;
            return part;
        } catch (IOException e) {
            throw new MediaException(12400, "cannot write " + part + ": " + e.getMessage(), e);
        } finally {
            if (!saved) deleteQuietly(part);
        }
    }

    private static int read(InputStream in, byte[] buf, String what) throws MediaException {
        try {
            return in.read(buf);
        } catch (IOException e) {
            throw new MediaException(11200, "cannot fetch " + what + ": " + e.getMessage(), e);
        }
    }

    /** Converts {@code source} into {@code target} when a conversion slot is free, then deletes it. */
    private void convert(Path source, String contentType, Path target) throws MediaException {
        try {
            conversions.acquire();
        } catch (InterruptedException e) {
            deleteQuietly(source);
            Thread.currentThread().interrupt();
            throw new MediaException(12400, "interrupted while waiting to convert " + target.getFileName());
        }
        try {
            AudioConverter.toAsteriskWav(source, contentType, target);
        } finally {
            conversions.release();
            deleteQuietly(source);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // MediaCache deletes stale temporary files at start
        }
    }

    /** HTTP caching as Twilio does it: no-cache/no-store revalidate every time; max-age keeps the copy fresh. */
    static long freshUntil(String cacheControl) {
        return freshUntil(cacheControl, System.currentTimeMillis());
    }

    static long freshUntil(String cacheControl, long now) {
        if (cacheControl == null) return now;
        String cc = cacheControl.toLowerCase(Locale.ROOT);
        if (cc.contains("no-cache") || cc.contains("no-store")) return now;
        Matcher m = MAX_AGE.matcher(cc);
        return m.find() ? now + Math.min(Long.parseLong(m.group(1)), 31_536_000L) * 1000 : now;
    }
}
