package io.twimlagi.media;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One disk budget ({@code media_cache_mb}) for the converted audio under {@code media_dir}'s {@code tts/} and
 * {@code play/} folders, with least-recently-used eviction. {@link #added} accounts a file just written and deletes
 * the least recently used others until the total fits (never the file just added, even when it alone is over
 * budget); {@link #used} marks a file as just used. At start-up the folders are scanned, with each file's mtime as
 * its last use, so the bound holds across restarts; stale temporary files of an interrupted conversion are deleted.
 *
 * <p>Thread-safe; every operation is O(1) (an access-ordered hash map) apart from the evictions it performs. The
 * callers re-create an evicted file when it is next asked for (they check that the file exists). A file may be
 * evicted while Asterisk is about to play it only when the budget is smaller than what the calls in progress use.
 */
public final class MediaCache {
    private static final Logger log = LoggerFactory.getLogger(MediaCache.class);
    /** The folders under the media store whose files share the budget. */
    static final List<String> KINDS = List.of("tts", "play");
    private static final long STALE_TMP_MILLIS = 3_600_000;

    private final long budgetBytes;
    /** Least recently used first. */
    private final LinkedHashMap<Path, Long> sizes = new LinkedHashMap<>(256, 0.75f, true);
    private long totalBytes;

    /** A cache over {@code store}'s folders, scanning what is already on disk. */
    /** Told of every lookup: {@code cache} is the folder ("tts", "play"), {@code hit} false when it was made. */
    public interface Lookups {
        void lookup(String cache, boolean hit);
    }

    private final Lookups lookups;

    public MediaCache(MediaStore store, long budgetBytes) {
        this(store, budgetBytes, (cache, hit) -> { });
    }

    public MediaCache(MediaStore store, long budgetBytes, Lookups lookups) {
        if (budgetBytes < 1) throw new IllegalArgumentException("budget must be positive: " + budgetBytes);
        this.budgetBytes = budgetBytes;
        this.lookups = lookups;
        if (store != null) scan(store.hostDir());
    }

    private void count(Path file, boolean hit) {
        Path dir = file.getParent();
        lookups.lookup(dir == null ? "" : dir.getFileName().toString(), hit);
    }

    /** No bound and no scan: for tests and callers that do not configure one. */
    public static MediaCache unbounded() {
        return new MediaCache(null, Long.MAX_VALUE);
    }

    private record Found(Path file, long size, long mtime) {
    }

    private void scan(Path root) {
        List<Found> found = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (String kind : KINDS) {
            Path dir = root.resolve(kind);
            if (!Files.isDirectory(dir)) continue;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    BasicFileAttributes a;
                    try {
                        a = Files.readAttributes(f, BasicFileAttributes.class);
                    } catch (IOException gone) {
                        continue;
                    }
                    if (!a.isRegularFile()) continue;
                    String name = f.getFileName().toString();
                    if (name.endsWith(".wav")) {
                        found.add(new Found(key(f), a.size(), a.lastModifiedTime().toMillis()));
                    } else if (name.contains(".wav.tmp") && now - a.lastModifiedTime().toMillis() > STALE_TMP_MILLIS) {
                        delete(f);
                    }
                }
            } catch (IOException e) {
                log.warn("media cache: cannot scan {}: {}", dir, e.toString());
            }
        }
        found.sort(Comparator.comparingLong(Found::mtime));
        synchronized (this) {
            for (Found f : found) account(f.file(), f.size());
            evict(null);
        }
        log.info("media cache: {} file(s), {} of {} bytes", files().size(), totalBytes(), budgetBytes);
    }

    /** Marks {@code file} as just used (a cache hit). A file the cache does not know yet is accounted. */
    public void used(Path file) {
        count(file, true);
        Path k = key(file);
        synchronized (this) {
            if (sizes.get(k) != null) return;   // get() moves it to the most recently used end
        }
        added(file);
    }

    /** Accounts {@code file}, just written (or rewritten), then evicts least recently used files over budget. */
    public void added(Path file) {
        count(file, false);
        Path k = key(file);
        long size;
        try {
            size = Files.size(k);
        } catch (IOException gone) {
            synchronized (this) {
                Long old = sizes.remove(k);
                if (old != null) totalBytes -= old;
            }
            return;
        }
        synchronized (this) {
            account(k, size);
            evict(k);
        }
    }

    /** Bytes currently accounted. */
    public synchronized long totalBytes() {
        return totalBytes;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    /** The accounted files, least recently used first (for tests and diagnostics). */
    public synchronized List<Path> files() {
        return new ArrayList<>(sizes.keySet());
    }

    private void account(Path k, long size) {
        Long old = sizes.put(k, size);
        totalBytes += size - (old == null ? 0 : old);
    }

    private void evict(Path keep) {
        Iterator<Map.Entry<Path, Long>> it = sizes.entrySet().iterator();
        while (totalBytes > budgetBytes && it.hasNext()) {
            Map.Entry<Path, Long> e = it.next();
            if (e.getKey().equals(keep)) continue;
            it.remove();
            totalBytes -= e.getValue();
            delete(e.getKey());
            log.debug("media cache: evicted {} ({} bytes)", e.getKey(), e.getValue());
        }
    }

    private static void delete(Path f) {
        try {
            Files.delete(f);
        } catch (NoSuchFileException gone) {
            // already gone: nothing to free
        } catch (IOException e) {
            log.warn("media cache: cannot delete {}: {}", f, e.toString());
        }
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }
}
