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
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One disk budget ({@code media_cache_mb}) for what the server writes under {@code media_dir}: the converted audio
 * in {@code tts/} and {@code play/}, and the conference hold-music folders in {@code wait/} (a folder counts the
 * sum of its files, hard links included, so the bound holds even when the files it links were evicted), with
 * least-recently-used eviction. {@link #added} accounts a file or folder just written and evicts the least
 * recently used others until the total fits (never the one just added, even when it alone is over budget) and
 * until at most {@link #MAX_ENTRIES} are kept (tiny files cannot grow the index without bound); {@link #used}
 * marks one as just used. Whoever indexes cached files registers {@link #onEvicted} and forgets them there. At
 * start-up the folders are scanned, with each mtime as last use, so the bound holds across restarts; stale
 * temporary files and folders of an interrupted write are deleted.
 *
 * <p>Thread-safe; every operation is O(1) (an access-ordered hash map) apart from the evictions it performs. The
 * callers re-create an evicted file when it is next asked for (they check that it exists). A file may be evicted
 * while Asterisk is about to play it only when the budget is smaller than what the calls in progress use.
 */
public final class MediaCache {
    private static final Logger log = LoggerFactory.getLogger(MediaCache.class);
    /** The folders under the media store whose files share the budget. */
    static final List<String> KINDS = List.of("tts", "play");
    /** The folders whose sub-folders (hold-music playlists) share it, each as one entry. */
    static final List<String> FOLDER_KINDS = List.of("wait");
    static final int MAX_ENTRIES = 100_000;
    private static final long STALE_TMP_MILLIS = 3_600_000;
    /** Prefix of a folder being written (MediaStore.linkFolder) or being deleted after its eviction. */
    static final String NEW_FOLDER = "new-";
    static final String OLD_FOLDER = "old-";

    private final long budgetBytes;
    /** Least recently used first. */
    private final LinkedHashMap<Path, Long> sizes = new LinkedHashMap<>(256, 0.75f, true);
    private long totalBytes;
    private final List<Consumer<Path>> evictionListeners = new CopyOnWriteArrayList<>();

    /** Told of every lookup: {@code cache} is the folder ("tts", "play"), {@code hit} false when it was made. */
    public interface Lookups {
        void lookup(String cache, boolean hit);
    }

    private final Lookups lookups;

    /** A cache over {@code store}'s folders, scanning what is already on disk. */
    public MediaCache(MediaStore store, long budgetBytes) {
        this(store, budgetBytes, (cache, hit) -> { });
    }

    public MediaCache(MediaStore store, long budgetBytes, Lookups lookups) {
        if (budgetBytes < 1) throw new IllegalArgumentException("budget must be positive: " + budgetBytes);
        this.budgetBytes = budgetBytes;
        this.lookups = lookups;
        if (store != null) scan(store.hostDir());
    }

    /** No bound and no scan: for tests and callers that do not configure one. */
    public static MediaCache unbounded() {
        return new MediaCache(null, Long.MAX_VALUE);
    }

    /**
     * Calls {@code listener} with each path the budget evicted (normalised, absolute), after it was deleted and
     * outside the cache's lock.
     */
    public void onEvicted(Consumer<Path> listener) {
        evictionListeners.add(listener);
    }

    private void count(Path file, boolean hit) {
        Path dir = file.getParent();
        String kind = dir == null ? "" : dir.getFileName().toString();
        if (KINDS.contains(kind)) lookups.lookup(kind, hit);
    }

    private record Found(Path file, long size, long mtime) {
    }

    private void scan(Path root) {
        List<Found> found = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (String kind : KINDS) {
            for (Path f : list(root.resolve(kind))) {
                BasicFileAttributes a = attributes(f);
                if (a == null || !a.isRegularFile()) continue;
                String name = f.getFileName().toString();
                if (name.endsWith(".wav")) {
                    found.add(new Found(key(f), a.size(), a.lastModifiedTime().toMillis()));
                } else if (name.contains(".wav.tmp") && now - a.lastModifiedTime().toMillis() > STALE_TMP_MILLIS) {
                    delete(f);
                }
            }
        }
        for (String kind : FOLDER_KINDS) {
            for (Path d : list(root.resolve(kind))) {
                BasicFileAttributes a = attributes(d);
                if (a == null || !a.isDirectory()) continue;
                String name = d.getFileName().toString();
                if (name.startsWith(OLD_FOLDER)
                        || name.startsWith(NEW_FOLDER) && now - a.lastModifiedTime().toMillis() > STALE_TMP_MILLIS) {
                    MediaStore.deleteFolder(d);
                } else if (!name.startsWith(NEW_FOLDER)) {
                    try {
                        found.add(new Found(key(d), sizeOf(d), a.lastModifiedTime().toMillis()));
                    } catch (IOException gone) {
                        // deleted meanwhile
                    }
                }
            }
        }
        found.sort(Comparator.comparingLong(Found::mtime));
        List<Evicted> gone;
        synchronized (this) {
            for (Found f : found) account(f.file(), f.size());
            gone = evict(null);
        }
        discard(gone);
        log.info("media cache: {} entries, {} of {} bytes", files().size(), totalBytes(), budgetBytes);
    }

    private static List<Path> list(Path dir) {
        List<Path> all = new ArrayList<>();
        if (!Files.isDirectory(dir)) return all;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(all::add);
        } catch (IOException e) {
            log.warn("media cache: cannot scan {}: {}", dir, e.toString());
        }
        return all;
    }

    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException gone) {
            return null;
        }
    }

    /** Marks {@code file} (or folder) as just used (a cache hit). One the cache does not know yet is accounted. */
    public void used(Path file) {
        count(file, true);
        Path k = key(file);
        synchronized (this) {
            if (sizes.get(k) != null) return;   // get() moves it to the most recently used end
        }
        account(file);
    }

    /** Accounts {@code file} (or folder), just written or rewritten, then evicts least recently used ones. */
    public void added(Path file) {
        count(file, false);
        account(file);
    }

    /** Forgets {@code file} (or folder) and deletes it: its owner no longer needs it. No listener is told. */
    public void removed(Path file) {
        Path k = key(file);
        synchronized (this) {
            Long old = sizes.remove(k);
            if (old != null) totalBytes -= old;
        }
        if (Files.isDirectory(k)) {
            MediaStore.deleteFolder(k);
        } else {
            delete(k);
        }
    }

    private void account(Path file) {
        Path k = key(file);
        long size;
        try {
            size = Files.isDirectory(k) ? sizeOf(k) : Files.size(k);
        } catch (IOException gone) {
            synchronized (this) {
                Long old = sizes.remove(k);
                if (old != null) totalBytes -= old;
            }
            return;
        }
        List<Evicted> gone;
        synchronized (this) {
            account(k, size);
            gone = evict(k);
        }
        discard(gone);
    }

    /** Bytes currently accounted. */
    public synchronized long totalBytes() {
        return totalBytes;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    /** The accounted files and folders, least recently used first (for tests and diagnostics). */
    public synchronized List<Path> files() {
        return new ArrayList<>(sizes.keySet());
    }

    private void account(Path k, long size) {
        Long old = sizes.put(k, size);
        totalBytes += size - (old == null ? 0 : old);
    }

    /** An evicted entry; {@code aside} is where its folder was moved to be deleted (null for a file). */
    private record Evicted(Path path, Path aside) {
    }

    /**
     * Under the lock: forgets and deletes the least recently used entries over budget. A folder is only renamed
     * here (one rename, whatever its size), its files are deleted by {@link #discard}. Returns what was evicted.
     */
    private List<Evicted> evict(Path keep) {
        List<Evicted> gone = new ArrayList<>();
        Iterator<Map.Entry<Path, Long>> it = sizes.entrySet().iterator();
        while ((totalBytes > budgetBytes || sizes.size() > MAX_ENTRIES) && it.hasNext()) {
            Map.Entry<Path, Long> e = it.next();
            if (e.getKey().equals(keep)) continue;
            it.remove();
            totalBytes -= e.getValue();
            Path aside = null;
            if (Files.isDirectory(e.getKey())) {
                aside = moveAside(e.getKey());
            } else {
                delete(e.getKey());
            }
            gone.add(new Evicted(e.getKey(), aside));
            log.debug("media cache: evicted {} ({} bytes)", e.getKey(), e.getValue());
        }
        return gone;
    }

    /** Outside the lock: deletes the folders evicted, then tells the listeners. */
    private void discard(List<Evicted> gone) {
        for (Evicted e : gone) {
            if (e.aside() != null) MediaStore.deleteFolder(e.aside());
            for (Consumer<Path> l : evictionListeners) {
                try {
                    l.accept(e.path());
                } catch (RuntimeException failed) {
                    log.warn("media cache: eviction listener failed for {}: {}", e.path(), failed.toString());
                }
            }
        }
    }

    /** Renames an evicted folder out of the way; null when it could only be deleted at once. */
    private static Path moveAside(Path dir) {
        Path aside = dir.resolveSibling(OLD_FOLDER + dir.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.move(dir, aside);
            return aside;
        } catch (IOException e) {
            MediaStore.deleteFolder(dir);
            return null;
        }
    }

    /** The bytes of a folder's regular files (hard links counted in full), or of a file. */
    static long sizeOf(Path p) throws IOException {
        if (!Files.isDirectory(p)) return Files.size(p);
        long total = 0;
        try (Stream<Path> files = Files.list(p)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                BasicFileAttributes a = attributes(f);
                if (a != null && a.isRegularFile()) total += a.size();
            }
        }
        return total;
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
