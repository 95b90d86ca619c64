package io.twimlagi.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the server writes for Asterisk is 0640 / 0750, whatever the umask (022 here; PlayHeapTest runs 077). */
class FileModesTest {
    @TempDir
    Path dir;

    static void assertMode(String mode, Path p) throws Exception {
        assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
    }

    @Test
    void promptsTonesAndTheirFoldersAreReadableByOwnerAndGroupOnly() throws Exception {
        Path root = dir.resolve("media");
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x")); // made before: tightened
        MediaStore store = new MediaStore(root, "/ast");
        assertMode("rwxr-x---", root);

        String prompt = new SpeechCache(new ToneTts(), store).prompt("your code is 1 2 3 4", "man", "en-US");
        Path tts = root.resolve(prompt.substring("/ast/".length()) + ".wav");
        assertMode("rw-r-----", tts);
        assertMode("rwxr-x---", tts.getParent());

        Path tone = store.wavFile("tones", "beep");
        AudioConverter.writeWav(new short[800], tone);
        assertMode("rw-r-----", tone);
        assertMode("rwxr-x---", tone.getParent());
    }
}
