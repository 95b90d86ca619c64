package io.twimlagi.engine;

import io.twimlagi.metrics.Metrics;
import io.twimlagi.twiml.Document;
import io.twimlagi.twiml.Hangup;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.twiml.Play;
import io.twimlagi.twiml.Say;
import io.twimlagi.twiml.SayPart;
import io.twimlagi.twiml.TwimlException;
import io.twimlagi.twiml.TwimlParser;
import io.twimlagi.webhook.UrlPolicy;
import io.twimlagi.webhook.WebhookClient;
import io.twimlagi.webhook.WebhookException;
import io.twimlagi.webhook.WebhookRequest;
import io.twimlagi.webhook.WebhookResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gets the next TwiML document: over HTTP through {@link WebhookClient}, or from disk for {@code file:} URLs
 * (static apps with no web server; only as {@link UrlPolicy} allows). Applies Twilio's Content-Type rules and
 * parses.
 */
public final class DocumentFetcher {
    static final int MAX_BODY = 64 * 1024;

    private final WebhookClient webhooks;
    private final Metrics metrics;

    public DocumentFetcher(WebhookClient webhooks, Metrics metrics) {
        this.webhooks = webhooks;
        this.metrics = metrics;
    }

    /** Without metrics (tests). */
    public DocumentFetcher(WebhookClient webhooks) {
        this(webhooks, new Metrics(() -> 0));
    }

    /** A fetched and parsed document; {@code url} is where it finally came from (after HTTP redirects). */
    public record Fetched(String url, Document document, int status, long millis) {
    }

    /**
     * One call's view: cookies set by the app are replayed on that call's later requests, like a browser.
     * {@code file:} URLs are read only below {@code fileRoot} (the domain's {@code file_root}; null: none), and
     * only those {@link UrlPolicy#named} let through: a {@code file:} URL named by an HTTP document never gets here.
     */
    public final class ForCall {
        private final WebhookClient.Session session = webhooks.newSession();
        private final Path fileRoot;
        /** Fetches under way now (the call's thread; a screening's too). */
        private final AtomicInteger fetching = new AtomicInteger();

        private ForCall(Path fileRoot) {
            this.fileRoot = fileRoot;
        }

        /**
         * Fetches a document for the call. {@code afterHangup}: the caller is gone already and Twilio still makes
         * this request (an action after a hangup, its answer ignored): {@link #cancel} does not abandon it, as the
         * hangup it would report (from Asterisk's manager, often a moment after the call's own connection reported
         * it) is the one already known.
         */
        public Fetched fetch(String url, HttpMethod method, Map<String, String> params, boolean afterHangup)
                throws FetchException {
            if (afterHangup) return DocumentFetcher.this.fetch(session::fetchToTheEnd, fileRoot, url, method, params);
            fetching.incrementAndGet();
            try {
                return DocumentFetcher.this.fetch(session::fetch, fileRoot, url, method, params);
            } finally {
                fetching.decrementAndGet();
            }
        }

        /**
         * The caller hung up: abandons the fetch in flight (it fails at once) and refuses later ones (its fallback).
         * Between fetches (a Dial, a Record) it does nothing: the call's own connection reports the hangup, and
         * the action Twilio still requests after it (its answer ignored) must go out.
         */
        public void cancel() {
            if (fetching.get() > 0) session.cancel();
        }
    }

    /** A view reading local files below {@code fileRoot} (null: none, http(s) only). */
    public ForCall forCall(Path fileRoot) {
        return new ForCall(fileRoot);
    }

    /** One HTTP request of a call's session (cancellable or not). */
    private interface Request {
        WebhookResponse send(WebhookRequest request) throws WebhookException;
    }

    private Fetched fetch(Request session, Path fileRoot, String url, HttpMethod method,
                          Map<String, String> params) throws FetchException {
        if (UrlPolicy.isFile(url)) return fetchFile(url, fileRoot);
        if (!UrlPolicy.isWeb(url)) {
            if (schemeOf(url).isEmpty()) throw new FetchException(11100, url, "invalid URL: " + url);
            // refused as an unreachable URL would be: the app learns nothing about this host
            throw new FetchException(WebhookException.HTTP_RETRIEVAL_FAILURE, UrlPolicy.original(url),
                    "refused: " + UrlPolicy.whyRefused(url));
        }
        if (!WebhookRequest.isHttpUrl(url)) { // http scheme, but nothing OkHttp can send (e.g. "http://")
            throw new FetchException(11100, UrlPolicy.original(url), "invalid URL: " + UrlPolicy.original(url));
        }
        WebhookResponse r;
        long start = System.nanoTime();
        try {
            r = session.send(new WebhookRequest(url, method, params));
        } catch (WebhookException e) {
            metrics.webhook((System.nanoTime() - start) / 1_000_000, false);
            throw new FetchException(e.errorCode(), url, e.getMessage());
        }
        metrics.webhook(r.millis(), true);
        return new Fetched(r.finalUrl(), parseByType(r.finalUrl(), r.contentType(), r.body()), r.status(), r.millis());
    }

    private Fetched fetchFile(String url, Path fileRoot) throws FetchException {
        long start = System.nanoTime();
        Path path;
        try {
            path = UrlPolicy.localFile(url, fileRoot);
        } catch (UrlPolicy.RefusedUrlException e) {
            // 11200 whether the file is missing or outside file_root: the code tells nothing about the disk
            throw new FetchException(WebhookException.HTTP_RETRIEVAL_FAILURE, url, "refused: " + e.getMessage());
        }
        byte[] body;
        try (InputStream in = Files.newInputStream(path)) {
            body = in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw new FetchException(11200, url, "cannot read " + path + ": " + e.getMessage());
        }
        if (body.length > MAX_BODY) throw new FetchException(11750, url, "document larger than 64 kB");
        Document doc = parse(url, body);
        return new Fetched(url, doc, 200, (System.nanoTime() - start) / 1_000_000);
    }

    /** Twilio's rules: XML/HTML types are TwiML; text/plain is TwiML when it parses, else spoken; audio is played. */
    static Document parseByType(String url, String contentType, byte[] body) throws FetchException {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        if (type.equals("text/xml") || type.equals("application/xml") || type.equals("text/html")
                || type.endsWith("+xml")) {
            return parse(url, body);
        }
        if (type.equals("text/plain")) {
            try {
                return TwimlParser.parse(body);
            } catch (TwimlException notTwiml) {
                return speakAndHangUp(new String(body, StandardCharsets.UTF_8));
            }
        }
        if (type.startsWith("audio/")) return playAndHangUp(url);
        throw new FetchException(12300, url, "invalid Content-Type '" + contentType + "'");
    }

    /** A text/plain body that is not TwiML is spoken, then the call ends (Twilio's rule). */
    static Document speakAndHangUp(String text) {
        Say say = new Say(List.of(new SayPart.Text(text.strip())), Say.DEFAULT_VOICE, Say.DEFAULT_LANGUAGE, 1, 0);
        return new Document(List.of(say, new Hangup(0)), List.of());
    }

    /** An audio body is played, then the call ends; the audio cache fetches the same URL. */
    static Document playAndHangUp(String url) {
        return new Document(List.of(new Play(url, 1, null, 0), new Hangup(0)), List.of());
    }

    private static Document parse(String url, byte[] body) throws FetchException {
        try {
            return TwimlParser.parse(body);
        } catch (TwimlException e) {
            throw new FetchException(e.code(), url, "line " + e.line() + ": " + e.getMessage());
        }
    }

    private static String schemeOf(String url) {
        int colon = url == null ? -1 : url.indexOf(':');
        return colon <= 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
    }
}
