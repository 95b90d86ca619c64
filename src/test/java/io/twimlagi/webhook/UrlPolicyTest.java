package io.twimlagi.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UrlPolicyTest {
    @TempDir
    Path dir;

    @Test
    void onlyAFileDocumentMayNameAFile() {
        assertEquals("file:///srv/a.xml", UrlPolicy.named("file:///srv/main.xml", "file:///srv/a.xml"));
        assertEquals("https://h/x", UrlPolicy.named("file:///srv/main.xml", "https://h/x"));
        assertEquals("https://h/x", UrlPolicy.named("https://h/main", "https://h/x"));
        for (String base : new String[]{"https://h/main", "http://h/main"}) {
            String r = UrlPolicy.named(base, "File:///etc/passwd");
            assertTrue(UrlPolicy.isRefused(r));
            assertFalse(UrlPolicy.isWeb(r) || UrlPolicy.isFile(r), "no fetcher takes it");
            assertEquals("File:///etc/passwd", UrlPolicy.original(r));
        }
    }

    @Test
    void localFilesLieBelowTheRealRoot() throws Exception {
        Path root = Files.createDirectories(dir.resolve("apps"));
        Path inside = Files.writeString(root.resolve("a.xml"), "<Response/>");
        Path secret = Files.writeString(dir.resolve("secret.xml"), "<Response/>");
        Path rootLink = Files.createSymbolicLink(dir.resolve("apps-link"), root);
        assertEquals(inside.toRealPath(), UrlPolicy.localFile(inside.toUri().toString(), root));
        assertEquals(inside.toRealPath(), UrlPolicy.localFile(inside.toUri().toString(), rootLink),
                "a root given through a symbolic link is its target");
        Files.createSymbolicLink(root.resolve("out.xml"), secret);
        for (String url : new String[]{secret.toUri().toString(), root.toUri() + "../secret.xml",
                root.toUri() + "%2e%2e/secret.xml", root.toUri() + "out.xml", root.toUri() + "missing.xml",
                "file://otherhost/srv/a.xml", inside.toUri() + "?x=1", "https://h/a.xml"}) {
            assertThrows(UrlPolicy.RefusedUrlException.class, () -> UrlPolicy.localFile(url, root), url);
        }
        assertThrows(UrlPolicy.RefusedUrlException.class, () -> UrlPolicy.localFile(inside.toUri().toString(), null),
                "no file_root: no local files");
        assertThrows(UrlPolicy.RefusedUrlException.class,
                () -> UrlPolicy.localFile(inside.toUri().toString(), dir.resolve("gone")));
    }
}
