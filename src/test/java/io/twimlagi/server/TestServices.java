package io.twimlagi.server;

import io.twimlagi.config.ConfigException;
import io.twimlagi.config.ConfigLoader;
import io.twimlagi.config.General;
import io.twimlagi.media.ToneTts;
import io.twimlagi.media.Tts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The services of a server, built by the composition root from a config file like a user's, for tests: media
 * under {@code mediaDir} (Asterisk's view {@value #ASTERISK_MEDIA_DIR}), a tone TTS, no SIP capture.
 */
public final class TestServices {
    public static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
    public static final String TOKEN = "12345";
    public static final String ASTERISK_MEDIA_DIR = "/var/lib/twiml-agi";

    private TestServices() {
    }

    /** {@code extra} lines go into {@code [general]} (e.g. {@code "refer_timeout = 5"}). */
    public static Services build(Path mediaDir, String... extra) {
        return build(mediaDir, new ToneTts(), extra);
    }

    /** The same, with this TTS (a {@link ToneTts} lists what it was asked to say). */
    public static Services build(Path mediaDir, Tts tts, String... extra) {
        return build(mediaDir, ASTERISK_MEDIA_DIR, tts, extra);
    }

    /** The same, with Asterisk seeing the media folder as {@code asteriskMediaDir} (the host's own path: tests
     * where a fake call writes recordings where Asterisk would). */
    public static Services build(Path mediaDir, String asteriskMediaDir, Tts tts, String... extra) {
        try {
            Path conf = Files.createTempFile(mediaDir, "twiml-agi", ".conf");
            Files.writeString(conf, """
                    [general]
                    account_sid = %s
                    auth_token = %s
                    voice_url = http://127.0.0.1:9/voice
                    media_dir = %s
                    asterisk_media_dir = %s
                    public_url = http://127.0.0.1:8089
                    webhook_connect_timeout = 2000
                    webhook_timeout = 3000
                    sip_capture = off
                    %s
                    """.formatted(ACCOUNT, TOKEN, mediaDir, asteriskMediaDir, String.join("\n", extra)));
            General g = ConfigLoader.load(conf).general();
            return Services.build(g, tts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }
}
