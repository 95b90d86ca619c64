package io.twimlagi.e2e;

import io.twimlagi.server.TwimlAgiServer;
import io.twimlagi.config.Ami;
import io.twimlagi.config.Config;
import io.twimlagi.config.ConfigLoader;
import io.twimlagi.e2e.harness.AsteriskSandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The end-to-end bench: the real Asterisk 22 sandbox, our server started from an INI config like a user's, and
 * the loopback TwiML app. The SIP domain {@code pbx.example.com} points at the app, with a fallback URL.
 */
final class Bench implements AutoCloseable {
    static final String TOKEN = "e2e-auth-token-0123456789";
    static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
    static final String DOMAIN = "pbx.example.com";
    /** realtime_secret; the sandbox's extconfig.conf URLs carry it. */
    static final String REALTIME_SECRET = "e2e-realtime-secret-0123456789";
    static final String DOMAIN_SID = "SD" + "5d".repeat(16);
    /** The sandbox manager.conf's user with asterisk-conf/manager-twiml.conf's permissions, and its secret. */
    static final String AMI_USER = "twiml-agi";
    static final String AMI_SECRET = "e2e-ami-secret-0123456789";
    /** A domain with no fallback URL. */
    static final String BARE_DOMAIN = "bare.example.com";

    final AsteriskSandbox asterisk;
    final WebhookApp app;
    TwimlAgiServer server;
    private Config config;
    final Path configFile;
    /** This bench's own records_db folder: the sandbox's media folder is shared by every branch's runs. */
    private final Path recordsDir;

    Bench() throws Exception {
        this("", "");
    }

    Bench(String extraGeneral) throws Exception {
        this(extraGeneral, "");
    }

    /**
     * @param extraGeneral  more {@code [general]} lines, e.g. {@code "refer_timeout = 5\n"}
     * @param extraSections more sections (SIP domains) at the end of the file; {@code {app}} stands for the
     *                      loopback TwiML app's base URL
     */
    Bench(String extraGeneral, String extraSections) throws Exception {
        asterisk = AsteriskSandbox.start();
        app = new WebhookApp(TOKEN);
        app.always(WebhookApp.STATUS_PATH, new okhttp3.mockwebserver.MockResponse().setResponseCode(204));
        configFile = Files.createTempFile("twiml-agi-e2e", ".conf");
        recordsDir = Files.createTempDirectory("twiml-agi-e2e-records");
        Files.writeString(configFile, """
                [general]
                agi_bind = 127.0.0.1:%d
                http_bind = 127.0.0.1:18089
                realtime_bind = 127.0.0.1:18088
                realtime_secret = %s
                account_sid = %s
                auth_token = %s
                voice_url = %s
                media_dir = %s
                asterisk_media_dir = %s
                webhook_connect_timeout = 1000
                webhook_timeout = 3000
                ami_username = %s
                ami_secret = %s
                records_db = %s
                %s

                [%s]
                type = domain
                sid = %s
                voice_url = %s
                voice_fallback_url = %s
                status_callback = %s
                status_callback_event = initiated ringing answered completed

                [%s]
                type = domain
                voice_url = %s

                %s
                """.formatted(AsteriskSandbox.AGI_PORT, REALTIME_SECRET, ACCOUNT, TOKEN, app.url("/voice"),
                asterisk.mediaDirOnHost(), asterisk.mediaDirInAsterisk(), AMI_USER, AMI_SECRET,
                recordsDir.resolve("twiml-agi.db"), extraGeneral,
                DOMAIN, DOMAIN_SID, app.url("/voice"), app.url("/fallback"), app.url(WebhookApp.STATUS_PATH),
                BARE_DOMAIN, app.url("/voice"), extraSections.replace("{app}", app.url("").toString()
                        .replaceAll("/$", ""))));
        config = ConfigLoader.load(configFile);
        server = TwimlAgiServer.start(config);
    }

    /** The server's AMI login (the sandbox's twiml-agi user on 127.0.0.1:5038), for tests' own AMI clients. */
    Ami ami() {
        return config.general().ami();
    }

    /** Another user of the sandbox's manager.conf (same secret), e.g. one lacking a permission. */
    static Ami amiUser(String user) {
        return new Ami(Ami.DEFAULT_HOST, Ami.DEFAULT_PORT, user, AMI_SECRET);
    }

    /** Stops our server (Asterisk's dialplan then sees FastAGI fail) and starts a new one with the same config. */
    void restartServer() throws Exception {
        server.close();
        server = TwimlAgiServer.start(config);
    }

    /** Stops our server only. */
    void stopServer() {
        server.close();
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
            app.close();
        } finally {
            asterisk.close();
            Files.deleteIfExists(configFile);
            try (Stream<Path> files = Files.list(recordsDir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(recordsDir);
        }
    }
}
