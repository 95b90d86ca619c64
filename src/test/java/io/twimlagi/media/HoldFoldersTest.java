package io.twimlagi.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static io.twimlagi.media.FileModesTest.assertMode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conference hold-music folders (MediaStore.linkFolder + HoldMusicClasses) under the media cache's budget. */
class HoldFoldersTest {
    @TempDir
    Path dir;

    private static Path file(MediaStore store, String kind, String name, int bytes) throws Exception {
        Path f = store.wavFile(kind, name);
        Files.write(f, new byte[bytes]);
        return f;
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aHoldFolderCountsAgainstTheBudgetAndItsClassIsForgottenWhenEvicted() throws Exception {
        MediaStore store = new MediaStore(dir, "/ast");
        MediaCache cache = new MediaCache(store, 1000);
        HoldMusicClasses classes = new HoldMusicClasses(cache);
        Path a = file(store, "play", "a", 300);
        cache.added(a);
        Path b = file(store, "tts", "b", 200);
        cache.added(b);
        Path hold = store.linkFolder("wait", "h1", List.of(a, b, a));     // 800 bytes through links
        classes.register(new HoldMusicClasses.HoldClass("twiml-wait-h1", store.asteriskName(hold), false, hold));
        assertEquals(1000, cache.totalBytes(), "300 + 200 + 800, then a (least recently used) evicted");
        assertFalse(Files.exists(a));
        assertEquals(300, Files.size(hold.resolve("00000.wav")), "the folder's link keeps a's audio");
        assertMode("rwxr-x---", hold);
        assertMode("rwxr-x---", hold.getParent());
        assertMode("rw-r-----", hold.resolve("00002.wav"));

        assertTrue(classes.find("twiml-wait-h1").isPresent());             // Asterisk asked for it: just used
        cache.added(file(store, "play", "c", 100));                         // 1100: b goes
        assertTrue(Files.isDirectory(hold));
        cache.added(file(store, "play", "d", 150));                         // 1050: the folder goes
        assertFalse(Files.exists(hold));
        assertEquals(Optional.empty(), classes.find("twiml-wait-h1"), "its class is forgotten with it");
        assertEquals("", classes.realtimeReply("name=twiml-wait-h1"));
        assertEquals(250, cache.totalBytes());
        assertEquals(List.of(), names(dir.resolve("wait")), "nothing left aside");
    }

    @Test
    void aFolderIsWrittenOnceAndReused() throws Exception {
        MediaStore store = new MediaStore(dir, "/ast");
        Path a = file(store, "play", "a", 300);
        Path first = store.linkFolder("wait", "h2", List.of(a));
        Files.delete(a);
        assertEquals(first, store.linkFolder("wait", "h2", List.of(a)), "there already: not written again");
        assertEquals(List.of("00000.wav"), names(first));
        assertEquals(List.of("h2"), names(dir.resolve("wait")), "no temporary folder left");
    }

    @Test
    void holdFoldersCountAfterARestartAndLeftoversAreRemoved() throws Exception {
        MediaStore store = new MediaStore(dir, "/ast");
        Path a = file(store, "play", "a", 300);
        Path hold = store.linkFolder("wait", "h3", List.of(a, a));
        long now = System.currentTimeMillis();
        Files.setLastModifiedTime(a, FileTime.fromMillis(now - 2_000_000));
        Files.setLastModifiedTime(hold, FileTime.fromMillis(now - 1_000_000));
        Path staleNew = Files.createDirectories(dir.resolve("wait/new-123"));
        Files.write(staleNew.resolve("00000.wav"), new byte[10]);
        Files.setLastModifiedTime(staleNew, FileTime.fromMillis(now - 7_200_000));
        Path freshNew = Files.createDirectories(dir.resolve("wait/new-456"));
        Path aside = Files.createDirectories(dir.resolve("wait/old-h9-1"));
        Files.write(aside.resolve("00000.wav"), new byte[10]);

        MediaCache cache = new MediaCache(store, 10_000);
        assertEquals(900, cache.totalBytes());
        assertEquals(List.of(a, hold), cache.files(), "oldest first");
        assertEquals(List.of("h3", "new-456"), names(dir.resolve("wait")));
        assertTrue(Files.isDirectory(freshNew), "a folder being written is left alone");
    }

    @Test
    void forgettingTheEldestClassDeletesItsFolderAndItsAccounting() throws Exception {
        MediaStore store = new MediaStore(dir, "/ast");
        MediaCache cache = new MediaCache(store, 1 << 30);
        HoldMusicClasses classes = new HoldMusicClasses(cache);
        Path a = file(store, "play", "a", 100);
        Path first = store.linkFolder("wait", "first", List.of(a));
        classes.register(new HoldMusicClasses.HoldClass("twiml-wait-first", "/ast/wait/first", false, first));
        for (int i = 0; i < HoldMusicClasses.MAX; i++) {
            classes.register(new HoldMusicClasses.HoldClass("twiml-wait-" + i, "/ast/wait/" + i, false, null));
        }
        assertFalse(Files.exists(first));
        assertFalse(cache.files().contains(first), "not accounted any more");
    }
}
