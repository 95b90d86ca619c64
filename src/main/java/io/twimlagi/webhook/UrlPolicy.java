package io.twimlagi.webhook;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which URLs named in TwiML may be fetched at all, before any disk or network access (README "Security"):
 * <ul>
 *   <li>{@code http:}/{@code https:}: always (where they lead is checked by {@link OutboundGuard});</li>
 *   <li>{@code file:}: only when the document naming it is itself a {@code file:} document (the operator's own,
 *       reached from a {@code file:} voice_url or voice_fallback_url), and only below the domain's
 *       {@code file_root}, after {@code ..} and symbolic links are resolved. An HTTP document never reaches local
 *       files, even in a call that started from a {@code file:} document;</li>
 *   <li>anything else ({@code jar:}, {@code ftp:}...): never.</li>
 * </ul>
 * A refused URL fails exactly as an unreachable one (11200 for documents), so an app learns nothing about the
 * local disk. {@link #named} applies the "who names it" rule where a URL is resolved against its document, and
 * marks a refused URL so that every fetcher refuses it; {@link #localFile} applies {@code file_root} where the
 * file is read.
 */
public final class UrlPolicy {
    /** The prefix {@link #named} puts before a URL its document may not name: no fetcher accepts that scheme. */
    private static final String REFUSED = "refused:";

    private UrlPolicy() {
    }

    /**
     * {@code url} (already resolved against {@code documentUrl}) when the document may name it, else the URL
     * marked as refused ({@link #isRefused}): a {@code file:} URL named by a document that is not a {@code file:}
     * document.
     */
    public static String named(String documentUrl, String url) {
        if (isFile(url) && !isFile(documentUrl)) return REFUSED + url;
        return url;
    }

    /** An http or https URL. */
    public static boolean isWeb(String url) {
        String s = scheme(url);
        return s.equals("http") || s.equals("https");
    }

    /** A file: URL. */
    public static boolean isFile(String url) {
        return scheme(url).equals("file");
    }

    /** A URL {@link #named} refused. */
    public static boolean isRefused(String url) {
        return url != null && url.startsWith(REFUSED);
    }

    /** The URL as its document wrote it (resolved), without the refusal mark. */
    public static String original(String url) {
        return isRefused(url) ? url.substring(REFUSED.length()) : url;
    }

    /**
     * The real path of the file a {@code file:} URL names when it lies below {@code root} (itself taken as its real
     * path). Throws when it does not: no root, not a file: URL, outside the root (after {@code ..} and symbolic
     * links), or not there.
     */
    public static Path localFile(String url, Path root) throws RefusedUrlException {
        if (root == null) throw new RefusedUrlException("no file_root: this domain reads no local files");
        if (!isFile(url)) throw new RefusedUrlException("not a file: URL");
        Path path;
        try {
            path = Path.of(URI.create(url.trim()));
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new RefusedUrlException("not a local file URL (file:///absolute/path)");
        }
        Path realRoot;
        Path real;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new RefusedUrlException("file_root " + root + " cannot be read: " + e.getMessage());
        }
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            // outside the root or missing: both are reported the same way
            throw new RefusedUrlException("cannot read " + path.normalize() + " below file_root " + root);
        }
        if (!real.startsWith(realRoot)) {
            throw new RefusedUrlException(path.normalize() + " is not below file_root " + root);
        }
        return real;
    }

    /** Why a URL is not fetched; the message is for the log only. */
    public static final class RefusedUrlException extends Exception {
        public RefusedUrlException(String message) {
            super(message);
        }
    }

    /** Why a URL that is neither http(s) nor file: is not fetched, for the log: its document, or its scheme. */
    public static String whyRefused(String url) {
        if (isRefused(url)) return "a file: URL is followed only from a file: document (README Security)";
        return "only http(s) and file: URLs are fetched";
    }

    private static String scheme(String url) {
        if (url == null) return "";
        String u = url.trim();
        int colon = u.indexOf(':');
        if (colon <= 0) return "";
        String s = u.substring(0, colon);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = Character.isLetter(c) || (i > 0 && (Character.isDigit(c) || c == '+' || c == '-' || c == '.'));
            if (!ok || c > 127) return "";
        }
        return s.toLowerCase(Locale.ROOT);
    }
}
