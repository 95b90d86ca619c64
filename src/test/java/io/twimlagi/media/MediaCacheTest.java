package io.twimlagi.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MediaCacheTest {
    @TempDir
    Path dir;

    private Path file(MediaStore store, String kind, String name, int bytes) throws Exception {
        Path f = store.wavFile(kind, name);
        Files.write(f, new byte[bytes]);
        return f;
    }

    @Test
    void evictsLeastRecentlyUsedAcrossBothFolders() throws Exception {
        MediaStore store = new MediaStore(dir, "/ast");
        MediaCache cache = new MediaCache(store, 1000);
        Path a = file(store, "tts", "a", 300);
        cache.added(a);
        Path b = file(store, "play", "b", 300);
        cache.added(b);
        Path c = file(store, "tts", "c", 300);
        cache.added(c);
        assertEquals(900, cache.totalBytes());
        cache.used(a);                          // order now b, c, a
        Path d = file(store, "play", "d", 300);
        cache.added(d);                         // 1200 > 1000: b goes
        assertFalse(Files.exists(b));
        assertTrue(Files.exists(a) && Files.exists(c) && Files.exists(d));
        assertEquals(List.of(c, a, d), cache.files());
        assertEquals(900, cache.totalBytes());
        Path e = file(store, "tts", "e", 650);
        cache.added(e);                         // 1550: c, then a go (850 left)
        assertFalse(Files.exists(c));
        assertFalse(Files.exists(a));
        assertEquals(List.of(d, e), cache.files());
        assertEquals(950, cache.totalBytes());
    }

    @Test
    void neverEvictsTheFileJustAddedEvenWhenItAloneIsOverBudget() throws Exception {
        MediaStore store = new MediaStore(dir, "/ast");
        MediaCache cache = new MediaCache(store, 100);
        Path small = file(store, "tts", "s", 60);
        cache.added(small);
        Path big = file(store, "play", "big", 500);
        cache.added(big);
        assertTrue(Files.exists(big));
        assertFalse(Files.exists(small));
        assertEquals(500, cache.totalBytes());
        Path next = file(store, "tts", "n", 10);
        cache.added(next);                      // now the big one is the least recently used: evicted
        assertFalse(Files.exists(big));
        assertEquals(10, cache.totalBytes());
    }

    @Test
    void rewrittenFileIsAccountedOnce() throws Exception {
        MediaStore store = new MediaStore(dir, "/ast");
        MediaCache cache = new MediaCache(store, 10_000);
        Path a = file(store, "play", "a", 300);
        cache.added(a);
        Files.write(a, new byte[700]);
        cache.added(a);
        assertEquals(700, cache.totalBytes());
        assertEquals(1, cache.files().size());
    }

    @Test
    void usedAccountsAFileItDidNotKnow() throws Exception {
        MediaStore store = new MediaStore(dir, "/ast");
        MediaCache cache = new MediaCache(store, 10_000);
        cache.used(file(store, "tts", "x", 123));
        assertEquals(123, cache.totalBytes());
        cache.added(store.wavFile("tts", "missing"));   // a file gone meanwhile is not accounted
        assertEquals(123, cache.totalBytes());
    }

    @Test
    void restartScansExistingFilesOldestFirstAndEnforcesTheBudget() throws Exception {
        MediaStore store = new MediaStore(dir, "/ast");
        Path old = file(store, "play", "old", 400);
        Path mid = file(store, "tts", "mid", 400);
        Path recent = file(store, "play", "recent", 400);
        Path other = file(store, "other", "untouched", 5000);   // not a cache folder
        long now = System.currentTimeMillis();
        Files.setLastModifiedTime(old, FileTime.fromMillis(now - 3_000_000));
        Files.setLastModifiedTime(mid, FileTime.fromMillis(now - 2_000_000));
        Files.setLastModifiedTime(recent, FileTime.fromMillis(now - 1_000_000));
        Path staleTmp = store.wavFile("tts", "x").resolveSibling("x.wav.tmp12");
        Files.write(staleTmp, new byte[50]);
        Files.setLastModifiedTime(staleTmp, FileTime.fromMillis(now - 7_200_000));
        Path freshTmp = store.wavFile("tts", "y").resolveSibling("y.wav.tmp13");
        Files.write(freshTmp, new byte[50]);

        MediaCache cache = new MediaCache(store, 1000);        // 1200 on disk: the oldest goes at start-up
        assertFalse(Files.exists(old));
        assertEquals(List.of(mid, recent), cache.files());
        assertEquals(800, cache.totalBytes());
        assertFalse(Files.exists(staleTmp), "an interrupted conversion's temporary file is removed");
        assertTrue(Files.exists(freshTmp), "a conversion in progress is left alone");
        assertTrue(Files.exists(other));

        cache.used(mid);
        Path n = file(store, "tts", "new", 300);
        cache.added(n);                                         // 1100: recent (now the LRU) goes
        assertFalse(Files.exists(recent));
        assertTrue(Files.exists(mid));
    }

    @Test
    void concurrentUseKeepsTheAccountingExact() throws Exception {
        MediaStore store = new MediaStore(dir, "/ast");
        MediaCache cache = new MediaCache(store, 50 * 100);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> jobs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            jobs.add(pool.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    Path f = file(store, i % 2 == 0 ? "tts" : "play", id + "-" + i, 100);
                    cache.added(f);
                    cache.used(f);
                }
                return null;
            }));
        }
        for (Future<?> j : jobs) j.get(30, TimeUnit.SECONDS);
        pool.shutdown();
        long onDisk = 0;
        for (String kind : MediaCache.KINDS) {
            try (var files = Files.list(dir.resolve(kind))) {
                onDisk += files.mapToLong(p -> p.toFile().length()).sum();
            }
        }
        assertEquals(onDisk, cache.totalBytes());
        assertTrue(cache.totalBytes() <= cache.budgetBytes(), "within budget: " + cache.totalBytes());
    }

    @Test
    void reportsHitsAndMissesPerFolder() throws Exception {
        MediaStore store = new MediaStore(dir, "/ast");
        List<String> seen = new ArrayList<>();
        MediaCache cache = new MediaCache(store, 1 << 20, (name, hit) -> seen.add(name + (hit ? ":hit" : ":miss")));
        Path tts = store.wavFile("tts", "a");
        Files.write(tts, new byte[100]);
        cache.added(tts);
        cache.used(tts);
        Path play = store.wavFile("play", "b");
        Files.write(play, new byte[100]);
        cache.added(play);
        org.junit.jupiter.api.Assertions.assertEquals(List.of("tts:miss", "tts:hit", "play:miss"), seen);
    }
}
