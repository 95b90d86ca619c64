package io.twimlagi.config;

import io.twimlagi.twilio.Sids;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.util.AddressList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    static final String SID = "AC0123456789abcdef0123456789ABCDEF";
    static final String DOMAIN_SID = "SDfedcba9876543210fedcba9876543210";

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path f = dir.resolve("twiml-agi.conf");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private Config load(String text) throws Exception {
        return ConfigLoader.load(write(text));
    }

    /** Loads and expects a ConfigException; returns the message without the "FILE:" prefix. */
    private String error(String text) throws IOException {
        Path f = write(text);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f));
        assertTrue(e.getMessage().startsWith(f + ":"), e.getMessage());
        return e.getMessage().substring(f.toString().length() + 1);
    }

    private static final String MINIMAL = """
            [general]
            account_sid = %s
            auth_token = secret
            voice_url = https://app.example.com/voice
            """.formatted(SID);

    @Test
    void fullFile() throws Exception {
        Config c = load("""
                ; twiml-agi configuration
                [general]
                agi_bind = 0.0.0.0:4574          ; FastAGI
                http_bind = [::1]:8090
                public_url = https://media.example.com/twiml/
                account_sid = %s
                auth_token = s3cr3t\\;with-semicolon ; trailing comment
                voice_url = https://app.example.com/voice#ct=1000&rc=2
                voice_method = get
                voice_fallback_url = https://app.example.com/fallback
                voice_fallback_method = GET
                status_callback = https://app.example.com/status
                status_callback_method = POST
                media_dir = /srv/media
                asterisk_media_dir = /var/spool/asterisk/twiml
                agi_max_calls = 100
                webhook_connect_timeout = 2000
                webhook_timeout = 9000
                log_level = DEBUG
                media_cache_mb = 256

                [pbx.example.com]
                type = domain
                sid = %s
                voice_url = https://app.example.com/pbx
                voice_method = POST
                voice_fallback_url = file:///etc/twiml/fallback.xml
                voice_fallback_method = POST
                status_callback = https://app.example.com/pbx-status
                status_callback_method = GET
                """.formatted(SID, DOMAIN_SID));
        General g = c.general();
        assertEquals(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 4574), g.agiBind());
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 8090), g.httpBind());
        assertEquals("https://media.example.com/twiml", g.publicUrl());
        assertEquals(SID, g.accountSid());
        assertEquals("s3cr3t;with-semicolon", g.authToken());
        assertEquals("https://app.example.com/voice#ct=1000&rc=2", g.voiceUrl());
        assertEquals(HttpMethod.GET, g.voiceMethod());
        assertEquals("https://app.example.com/fallback", g.voiceFallbackUrl());
        assertEquals(HttpMethod.GET, g.voiceFallbackMethod());
        assertEquals("https://app.example.com/status", g.statusCallback());
        assertEquals(HttpMethod.POST, g.statusCallbackMethod());
        assertEquals(Path.of("/srv/media"), g.mediaDir());
        assertEquals(Path.of("/var/spool/asterisk/twiml"), g.asteriskMediaDir());
        assertEquals(100, g.agiMaxCalls());
        assertEquals(Duration.ofMillis(2000), g.webhookConnectTimeout());
        assertEquals(Duration.ofMillis(9000), g.webhookTimeout());
        assertEquals("debug", g.logLevel());
        assertEquals(256, g.mediaCacheMb());
        assertEquals(256L * 1024 * 1024, g.mediaCacheBytes());
        assertTrue(!g.toString().contains("s3cr3t"), "toString must not leak the token");

        assertEquals(1, c.domains().size());
        Domain d = c.domains().get("pbx.example.com");
        assertEquals(new Domain("pbx.example.com", DOMAIN_SID, "https://app.example.com/pbx", HttpMethod.POST,
                "file:///etc/twiml/fallback.xml", HttpMethod.POST, "https://app.example.com/pbx-status",
                HttpMethod.GET, java.util.Set.of("completed"), General.DEFAULT_DIAL_NUMBER,
                General.DEFAULT_DIAL_SIP_ENDPOINT,
                General.DEFAULT_DIAL_CLIENT), d);
        assertSame(d, c.domainFor("PBX.Example.COM"));
        assertSame(d, c.domainFor("pbx.example.com:5060"));
    }

    @Test
    void defaults() throws Exception {
        Config c = load(MINIMAL);
        General g = c.general();
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 4573), g.agiBind());
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8089), g.httpBind());
        assertEquals("http://127.0.0.1:8089", g.publicUrl());
        assertEquals(HttpMethod.POST, g.voiceMethod());
        assertNull(g.voiceFallbackUrl());
        assertEquals(HttpMethod.POST, g.voiceFallbackMethod());
        assertNull(g.statusCallback());
        assertEquals(HttpMethod.POST, g.statusCallbackMethod());
        assertEquals(Path.of("/var/lib/twiml-agi"), g.mediaDir());
        assertEquals(g.mediaDir(), g.asteriskMediaDir());
        assertEquals(2500, g.agiMaxCalls());
        assertEquals(Duration.ofSeconds(5), g.webhookConnectTimeout());
        assertEquals(Duration.ofSeconds(15), g.webhookTimeout());
        assertEquals("info", g.logLevel());
        assertEquals(1024, g.mediaCacheMb());
        assertEquals(1L << 30, g.mediaCacheBytes());
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9060), g.sipCapture());
        assertNull(g.sipCapturePassword());
        assertTrue(c.domains().isEmpty());
    }

    @Test
    void sipCaptureCanMoveTakeAPasswordOrBeOff() throws Exception {
        General g = load(MINIMAL + "sip_capture = 127.0.0.1:19060\nsip_capture_password = hep-secret\n").general();
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 19060), g.sipCapture());
        assertEquals("hep-secret", g.sipCapturePassword());
        assertFalse(g.toString().contains("hep-secret"), g.toString());
        assertNull(load(MINIMAL + "sip_capture = off\n").general().sipCapture());
        assertNull(load(MINIMAL + "sip_capture = OFF\n").general().sipCapture());
        assertEquals("5: bad value for 'sip_capture': '9060' (expected host:port or [v6]:port)",
                error(MINIMAL + "sip_capture = 9060\n"));
    }

    @Test
    void streamPlayoutIsExactByDefaultOrShedsSilence() throws Exception {
        assertEquals(General.StreamPlayout.EXACT, load(MINIMAL).general().streamPlayout());
        assertEquals(General.StreamPlayout.EXACT, load(MINIMAL + "stream_playout = exact\n").general().streamPlayout());
        assertEquals(General.StreamPlayout.SHED_SILENCE,
                load(MINIMAL + "stream_playout = SHED_SILENCE\n").general().streamPlayout());
        assertEquals("5: bad value for 'stream_playout': 'drop' (expected exact or shed_silence)",
                error(MINIMAL + "stream_playout = drop\n"));
    }

    @Test
    void audioSocketBindDefaultsToLoopback4574CanMoveOrBeOffAndIsNoOtherListenersPort() throws Exception {
        assertEquals(new InetSocketAddress("127.0.0.1", 4574), load(MINIMAL).general().audioSocketBind());
        assertEquals(new InetSocketAddress("127.0.0.1", 14574),
                load(MINIMAL + "audiosocket_bind = 127.0.0.1:14574\n").general().audioSocketBind());
        assertNull(load(MINIMAL + "audiosocket_bind = off\n").general().audioSocketBind());
        assertEquals("5: bad value for 'audiosocket_bind': 127.0.0.1:4573 is also agi_bind",
                error(MINIMAL + "audiosocket_bind = 127.0.0.1:4573\n"));
        assertEquals("5: bad value for 'audiosocket_bind': 0.0.0.0:8089 is also http_bind",
                error(MINIMAL + "audiosocket_bind = 0.0.0.0:8089\n"));
        assertEquals("5: bad value for 'audiosocket_bind': '4574' (expected host:port or [v6]:port)",
                error(MINIMAL + "audiosocket_bind = 4574\n"));
    }

    @Test
    void asteriskMediaDirDefaultsToMediaDir() throws Exception {
        Config c = load(MINIMAL + "media_dir = /data/m\n");
        assertEquals(Path.of("/data/m"), c.general().asteriskMediaDir());
    }

    @Test
    void syntaxVariants() throws Exception {
        Config c = load("""
                
                   ; indented comment
                ;; another
                  [ general ]   ; header comment
                account_sid=%s
                AUTH_TOKEN   =>   tok en\t
                voice_url=>file:/etc/twiml/main.xml
                voice_fallback_url =
                	agi_max_calls	=	7
                [Office.Example.com];comment
                type => domain
                """.formatted(SID).replace("\n", "\r\n"));
        assertEquals("tok en", c.general().authToken());
        assertEquals("file:/etc/twiml/main.xml", c.general().voiceUrl());
        assertNull(c.general().voiceFallbackUrl());
        assertEquals(7, c.general().agiMaxCalls());
        assertEquals("Office.Example.com", c.domainFor("office.example.com").name());
    }

    @Test
    void domainInheritance() throws Exception {
        Config c = load(MINIMAL + """
                voice_method = GET
                voice_fallback_url = https://app.example.com/fb
                voice_fallback_method = GET
                status_callback = https://app.example.com/st
                [a.example.com]
                type = domain
                [b.example.com]
                type = domain
                voice_url = https://b.example.com/voice
                [c.example.com]
                type = domain
                voice_method = POST
                voice_fallback_url = https://c.example.com/fb
                """);
        Domain a = c.domainFor("a.example.com");
        assertEquals("https://app.example.com/voice", a.voiceUrl());
        assertEquals(HttpMethod.GET, a.voiceMethod());
        assertEquals("https://app.example.com/fb", a.voiceFallbackUrl());
        assertEquals(HttpMethod.GET, a.voiceFallbackMethod());
        assertEquals("https://app.example.com/st", a.statusCallback());
        assertEquals(HttpMethod.POST, a.statusCallbackMethod());
        assertEquals(Sids.derivedDomainSid("a.example.com"), a.sid());

        Domain b = c.domainFor("b.example.com");
        assertEquals("https://b.example.com/voice", b.voiceUrl());
        assertEquals(HttpMethod.POST, b.voiceMethod(), "own URL without method: POST, not general's GET");
        assertEquals("https://app.example.com/fb", b.voiceFallbackUrl(), "fallback inherited");
        assertEquals(HttpMethod.GET, b.voiceFallbackMethod());

        Domain cc = c.domainFor("c.example.com");
        assertEquals("https://app.example.com/voice", cc.voiceUrl());
        assertEquals(HttpMethod.POST, cc.voiceMethod(), "explicit method wins");
        assertEquals("https://c.example.com/fb", cc.voiceFallbackUrl());
        assertEquals(HttpMethod.POST, cc.voiceFallbackMethod());
    }

    @Test
    void unknownHostGetsDefaultDomain() throws Exception {
        Config c = load(MINIMAL);
        Domain d = c.domainFor("Other.Example.net");
        assertEquals("Other.Example.net", d.name());
        assertEquals(Sids.derivedDomainSid("other.example.net"), d.sid());
        assertEquals("https://app.example.com/voice", d.voiceUrl());
        assertEquals(HttpMethod.POST, d.voiceMethod());
        assertEquals(d.sid(), c.domainFor("other.example.net").sid(), "derived sid is stable, case-insensitive");
    }

    @Test
    void voiceUrlMayLiveInEveryDomainInstead() throws Exception {
        Config c = load("""
                [general]
                account_sid = %s
                auth_token = t
                [x.example.com]
                type = domain
                voice_url = https://x.example.com/v
                """.formatted(SID));
        assertNull(c.general().voiceUrl());
        assertEquals("https://x.example.com/v", c.domainFor("x.example.com").voiceUrl());
        assertNull(c.domainFor("unknown.example.com").voiceUrl());
    }

    @Test
    void domainsMapIsImmutable() throws Exception {
        Config c = load(MINIMAL);
        assertThrows(UnsupportedOperationException.class, () -> c.domains().put("x", null));
    }

    @Test
    void dialRoutingDefaultsAndDomainOverrides() throws Exception {
        Config c = load(MINIMAL + "dial_number = PJSIP/carrier/sip:{number}@10.0.0.1\n"
                + "[a.example.com]\ntype = domain\ndial_sip_endpoint = edge\ndial_client = PJSIP/{client}-x\n"
                + "[b.example.com]\ntype = domain\n");
        assertEquals("PJSIP/carrier/sip:{number}@10.0.0.1", c.general().dialNumber());
        assertEquals("trunk", c.general().dialSipEndpoint());
        Domain a = c.domains().get("a.example.com");
        assertEquals("PJSIP/carrier/sip:{number}@10.0.0.1", a.dialNumber());
        assertEquals("edge", a.dialSipEndpoint());
        assertEquals("PJSIP/{client}-x", a.dialClient());
        assertEquals("PJSIP/{client}", c.domains().get("b.example.com").dialClient());
        Domain unknown = c.domainFor("other.example.com");
        assertEquals("PJSIP/carrier/sip:{number}@10.0.0.1", unknown.dialNumber());
        assertEquals(General.DEFAULT_DIAL_NUMBER, load(MINIMAL).general().dialNumber());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "dial_number = PJSIP/trunk         | bad value for 'dial_number': 'PJSIP/trunk' must contain {number}",
            "dial_number = PJSIP/{number}@{number} | bad value for 'dial_number': 'PJSIP/{number}@{number}' must contain {number} only once",
            "dial_number = {number}@trunk      | bad value for 'dial_number': '{number}@trunk' is not an Asterisk dial string such as PJSIP/{number}@trunk (Tech/..., no spaces, commas, ampersands, parentheses, bars, quotes, $ or brackets)",
            "dial_number = PJSIP/{number}&SIP/x | bad value for 'dial_number': 'PJSIP/{number}&SIP/x' is not an Asterisk dial string such as PJSIP/{number}@trunk (Tech/..., no spaces, commas, ampersands, parentheses, bars, quotes, $ or brackets)",
            "dial_client = PJSIP/{number}      | bad value for 'dial_client': 'PJSIP/{number}' must contain {client}",
            "dial_client = PJSIP/{client}{x}   | bad value for 'dial_client': 'PJSIP/{client}{x}' has an unknown {placeholder}",
            "dial_sip_endpoint = a/b           | bad value for 'dial_sip_endpoint': 'a/b' is not a PJSIP endpoint name (letters, digits, . _ + -)",
    })
    void badDialRouting(String line, String message) throws Exception {
        assertEquals("5: " + message, error(MINIMAL + line + "\n"));
    }

    // ------------------------------------------------------------------------------------------ errors

    @Test
    void unknownKey() throws Exception {
        assertEquals("5: unknown key 'voice_ur' in [general]", error(MINIMAL + "voice_ur = x\n"));
        assertEquals("7: unknown key 'media_dir' in [d.example.com]",
                error(MINIMAL + "[d.example.com]\ntype = domain\nmedia_dir = /x\n"));
    }

    @Test
    void duplicateKey() throws Exception {
        assertEquals("5: duplicate key 'auth_token' in [general] (first at line 3)",
                error(MINIMAL + "Auth_Token = other\n"));
    }

    @Test
    void duplicateSection() throws Exception {
        assertEquals("5: duplicate section [GENERAL] (first at line 1)", error(MINIMAL + "[GENERAL]\n"));
    }

    @Test
    void domainWithoutType() throws Exception {
        assertEquals("5: section [d.example.com] has no 'type = domain'",
                error(MINIMAL + "[d.example.com]\nvoice_url = https://d/\n"));
        assertEquals("6: bad value for 'type': 'trunk' (only 'domain' is known)",
                error(MINIMAL + "[d.example.com]\ntype = trunk\n"));
    }

    @Test
    void missingRequiredKeys() throws Exception {
        assertEquals("2: missing key 'account_sid' in [general]",
                error("; header\n[general]\nauth_token = t\nvoice_url = https://a/\n"));
        assertEquals("1: missing key 'auth_token' in [general]",
                error("[general]\naccount_sid = " + SID + "\nvoice_url = https://a/\n"));
        assertEquals("3: bad value for 'auth_token': must not be empty",
                error("[general]\naccount_sid = " + SID + "\nauth_token =\nvoice_url = https://a/\n"));
        assertEquals("1: missing key 'voice_url' in [general] (required unless every domain section sets it)",
                error("[general]\naccount_sid = " + SID + "\nauth_token = t\n"
                        + "[a.example.com]\ntype = domain\nvoice_url = https://a/\n[b.example.com]\ntype = domain\n"));
        assertEquals("1: missing [general] section", error("[a.example.com]\ntype = domain\n"));
        assertEquals("1: missing [general] section", error("; empty\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "agi_bind = 127.0.0.1           | bad value for 'agi_bind': '127.0.0.1' (expected host:port or [v6]:port)",
            "agi_bind = 127.0.0.1:99999     | bad value for 'agi_bind': port '99999' is not 1..65535",
            "http_bind = ::1:8089           | bad value for 'http_bind': '::1:8089' (expected host:port or [v6]:port)",
            "http_bind = bad host:80        | bad value for 'http_bind': bad host 'bad host'",
            "public_url = ftp://x/          | bad value for 'public_url': 'ftp://x/' is not an http(s) URL with a host",
            "voice_fallback_url = app/voice | bad value for 'voice_fallback_url': 'app/voice' is not an http(s):// or file: URL",
            "status_callback = file:rel.xml | bad value for 'status_callback': 'file:rel.xml' is not file:/absolute/path or file:///absolute/path",
            "status_callback = file://h/x   | bad value for 'status_callback': 'file://h/x' must not name a host (use file:///absolute/path)",
            "voice_method = PUT             | bad value for 'voice_method': 'PUT' (expected GET or POST)",
            "agi_max_calls = 0              | bad value for 'agi_max_calls': 0 is outside 1..1000000",
            "agi_max_calls = many           | bad value for 'agi_max_calls': 'many' is not a whole number",
            "webhook_connect_timeout = 50   | bad value for 'webhook_connect_timeout': 50 is outside 100..10000",
            "webhook_timeout = 15001        | bad value for 'webhook_timeout': 15001 is outside 100..15000",
            "media_cache_mb = 0             | bad value for 'media_cache_mb': 0 is outside 1..1048576",
            "media_cache_mb = 1048577       | bad value for 'media_cache_mb': 1048577 is outside 1..1048576",
            "media_cache_mb = 1G            | bad value for 'media_cache_mb': '1G' is not a whole number",
            "media_dir = relative/dir       | bad value for 'media_dir': 'relative/dir' is not an absolute path",
            "log_level = verbose            | bad value for 'log_level': 'verbose' (expected error, warn, info, debug or trace)",
            "records_db = calls.db          | bad value for 'records_db': 'calls.db' is not an absolute path",
            "records_db = /var/lib/x/       | bad value for 'records_db': '/var/lib/x/' names a folder, not a file",
            "records_db = /                 | bad value for 'records_db': '/' names a folder, not a file",
            "call_log_days = -1             | bad value for 'call_log_days': -1 is outside 0..3650",
            "call_log_days = 3651           | bad value for 'call_log_days': 3651 is outside 0..3650",
            "call_log_days = 30d            | bad value for 'call_log_days': '30d' is not a whole number",
    })
    void badGeneralValues(String line, String message) throws Exception {
        assertEquals("5: " + message, error(MINIMAL + line + "\n"));
    }

    @Test
    void badSids() throws Exception {
        assertEquals("2: bad value for 'account_sid': expected AC followed by 32 hex digits",
                error("[general]\naccount_sid = AC123\nauth_token = t\nvoice_url = https://a/\n"));
        assertEquals("2: bad value for 'account_sid': expected AC followed by 32 hex digits",
                error("[general]\naccount_sid = SD0123456789abcdef0123456789abcdef\nauth_token = t\nvoice_url = https://a/\n"));
        assertEquals("7: bad value for 'sid': expected SD followed by 32 hex digits",
                error(MINIMAL + "[d.example.com]\ntype = domain\nsid = SD0123456789abcdef0123456789abcdeg\n"));
    }

    @Test
    void badDomainUrl() throws Exception {
        assertEquals("7: bad value for 'voice_url': 'https:///nohost' has no valid host",
                error(MINIMAL + "[d.example.com]\ntype = domain\nvoice_url = https:///nohost\n"));
    }

    @Test
    void lexicalErrors() throws Exception {
        assertEquals("1: key 'account_sid' outside of any [section]", error("account_sid = x\n[general]\n"));
        assertEquals("5: expected 'key = value', '[section]' or a comment", error(MINIMAL + "just words\n"));
        assertEquals("5: malformed section header (expected [name])", error(MINIMAL + "[broken\n"));
        assertEquals("5: invalid section name []", error(MINIMAL + "[ ]\n"));
        assertEquals("5: missing key before '='", error(MINIMAL + " = value\n"));
        assertEquals("5: directives such as #include are not supported", error(MINIMAL + "#include other.conf\n"));
        assertEquals("5: domain section name [-bad.example] is not a host name",
                error(MINIMAL + "[-bad.example]\ntype = domain\n"));
    }

    @Test
    void unreadableFile() {
        Path missing = dir.resolve("nope.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));
        assertTrue(e.getMessage().startsWith(missing + ":0: cannot read file"), e.getMessage());
        assertEquals(0, e.line());
    }

    @Test
    void recordsDbFollowsMediaDirAndCallLogDaysDefaultTo30() throws Exception {
        General g = load(MINIMAL).general();
        assertEquals(Path.of("/var/lib/twiml-agi/twiml-agi.db"), g.recordsDb());
        assertEquals(30, g.callLogDays());
        assertEquals(Duration.ofDays(30), g.callLogRetention());
        assertEquals(Path.of("/data/m/twiml-agi.db"), load(MINIMAL + "media_dir = /data/m\n").general().recordsDb());
        General set = load(MINIMAL + "records_db = /srv/db/../calls.db\ncall_log_days = 0\n").general();
        assertEquals(Path.of("/srv/calls.db"), set.recordsDb());
        assertEquals(0, set.callLogDays());
        assertEquals(Duration.ZERO, set.callLogRetention(), "0 keeps them forever");
        assertEquals(3650, load(MINIMAL + "call_log_days = 3650\n").general().callLogDays());
    }

    @Test
    void mediaCacheLimitsAreAccepted() throws Exception {
        assertEquals(1, load(MINIMAL + "media_cache_mb = 1\n").general().mediaCacheMb());
        General big = load(MINIMAL + "MEDIA_CACHE_MB = 1048576\n").general();
        assertEquals(1L << 40, big.mediaCacheBytes());
    }

    @Test
    void statusCallbackEventsAndShutdownGrace() throws Exception {
        Config c = load(MINIMAL + "status_callback = https://app.example.com/status\n"
                + "status_callback_event = initiated ringing, answered completed\nshutdown_grace_seconds = 5\n"
                + "\n[pbx.example.com]\ntype = domain\nstatus_callback_event = answered\n");
        assertEquals(java.util.Set.of("initiated", "ringing", "answered", "completed"),
                c.general().statusCallbackEvents());
        assertEquals(java.util.Set.of("answered"), c.domainFor("pbx.example.com").statusCallbackEvents());
        assertEquals(c.general().statusCallbackEvents(), c.domainFor("other.example.com").statusCallbackEvents());
        assertEquals(5, c.general().shutdownGraceSeconds());
        assertEquals(60, c.general().referTimeoutSeconds());
        assertEquals(7, load(MINIMAL + "refer_timeout = 7\n").general().referTimeoutSeconds());
        assertEquals(java.util.Set.of("completed"), load(MINIMAL).general().statusCallbackEvents());
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> load(MINIMAL + "status_callback_event = hungup\n"));
        assertTrue(e.getMessage().contains("status_callback_event"), e.getMessage());
    }

    @Test
    void dialSipAuthOptionsAreSpaceSeparatedEndpointOptions() throws Exception {
        Config c = load(MINIMAL + "dial_sip_auth_options = transport=transport-udp  allow=ulaw,alaw  "
                + "media_address=10.0.0.1 ; a comment\n");
        assertEquals(java.util.Map.of("transport", "transport-udp", "allow", "ulaw,alaw", "media_address", "10.0.0.1"),
                c.general().dialSipAuthOptions());
        assertEquals(java.util.List.of("disallow", "allow", "direct_media"),
                java.util.List.copyOf(load(MINIMAL).general().dialSipAuthOptions().keySet()), "the default");
        assertTrue(error(MINIMAL + "dial_sip_auth_options = outbound_auth=x\n").contains("dial_sip_auth_options"));
        assertTrue(error(MINIMAL + "dial_sip_auth_options = allow\n").contains("dial_sip_auth_options"));
        assertTrue(error(MINIMAL + "dial_sip_auth_options = Bad-Name=x\n").contains("dial_sip_auth_options"));
    }

    @Test
    void realtimeIsOffWithoutASecretAndOnALoopbackPortOfItsOwnWithOne() throws Exception {
        assertNull(load(MINIMAL).general().realtime(), "off by default");
        String secret = "0123456789abcdef-_ABCDEF";
        Realtime r = load(MINIMAL + "realtime_secret = " + secret + "\n").general().realtime();
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8090), r.bind());
        assertEquals(secret, r.secret());
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 18090), load(MINIMAL + "realtime_bind = [::1]:18090\n"
                + "realtime_secret = " + secret + "\n").general().realtime().bind());
        General g = load(MINIMAL + "realtime_secret = " + secret + "\n").general();
        assertFalse(g.toString().contains(secret) || r.toString().contains(secret), g.toString());

        assertEquals("5: 'realtime_bind' needs 'realtime_secret' (the secret that Asterisk's res_config_curl URLs"
                + " carry)", error(MINIMAL + "realtime_bind = 127.0.0.1:8090\n"));
        String rules = "must be 16 to 128 letters, digits, '-' or '_' (e.g. the output of: openssl rand -hex 24)";
        for (String bad : new String[] {"short", "REALTIME_SECRET", "has space in it 12345", "semi;colon0123456789",
                "comma,0123456789abcdef", "slash/0123456789abcdef", "x".repeat(129)}) {
            assertEquals("5: bad value for 'realtime_secret': " + rules,
                    error(MINIMAL + "realtime_secret = " + bad.replace(";", "\\;") + "\n"), bad);
        }
        assertEquals("5: bad value for 'realtime_bind': '0.0.0.0:8090' is not a loopback address such as"
                + " 127.0.0.1:8090 (its answers carry SIP passwords)",
                error(MINIMAL + "realtime_bind = 0.0.0.0:8090\nrealtime_secret = " + secret + "\n"));
        assertEquals("5: bad value for 'realtime_bind': 127.0.0.1:8089 is also http_bind",
                error(MINIMAL + "realtime_bind = 127.0.0.1:8089\nrealtime_secret = " + secret + "\n"));
        assertEquals("5: bad value for 'realtime_bind': 127.0.0.1:9000 is also http_bind",
                error(MINIMAL + "realtime_bind = 127.0.0.1:9000\nrealtime_secret = " + secret
                        + "\nhttp_bind = 0.0.0.0:9000\n"));
        assertEquals("5: bad value for 'realtime_bind': 127.0.0.1:4573 is also agi_bind",
                error(MINIMAL + "realtime_bind = 127.0.0.1:4573\nrealtime_secret = " + secret + "\n"));
    }

    @Test
    void agiPeersAndDeadlinesDefaultToLoopbackAnd5And10Seconds() throws Exception {
        General g = load(MINIMAL).general();
        assertEquals(AddressList.LOOPBACK, g.agiAllow());
        assertTrue(g.agiAllow().contains(InetAddress.getByName("127.0.0.5")));
        assertTrue(g.agiAllow().contains(InetAddress.getByName("::1")));
        assertFalse(g.agiAllow().contains(InetAddress.getByName("10.0.0.1")));
        assertEquals(Duration.ofSeconds(5), g.agiEnvironmentTimeout());
        assertEquals(Duration.ofSeconds(10), g.agiReplyTimeout());
        assertEquals(AddressList.LOOPBACK, g.sipCaptureAllow());
        assertEquals(Admission.OPEN, g.admission());
    }

    @Test
    void agiAllowSipCaptureAllowAndTimeoutsAreSet() throws Exception {
        General g = load(MINIMAL + """
                agi_allow = 10.0.0.0/8, 192.0.2.7 2001:db8::/32
                agi_environment_timeout = 2000
                agi_reply_timeout = 30000
                sip_capture_allow = 10.1.2.3
                """).general();
        assertTrue(g.agiAllow().contains(InetAddress.getByName("10.200.0.1")));
        assertTrue(g.agiAllow().contains(InetAddress.getByName("192.0.2.7")));
        assertFalse(g.agiAllow().contains(InetAddress.getByName("192.0.2.8")));
        assertTrue(g.agiAllow().contains(InetAddress.getByName("2001:db8::5")));
        assertFalse(g.agiAllow().contains(InetAddress.getByName("127.0.0.1")), "the list replaces the default");
        assertEquals(Duration.ofSeconds(2), g.agiEnvironmentTimeout());
        assertEquals(Duration.ofSeconds(30), g.agiReplyTimeout());
        assertTrue(g.sipCaptureAllow().contains(InetAddress.getByName("10.1.2.3")));
        assertFalse(g.sipCaptureAllow().contains(InetAddress.getByName("127.0.0.1")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "agi_allow = localhost               | bad value for 'agi_allow': 'localhost' is not an IP address or CIDR block (no host names)",
            "agi_allow = 10.0.0.0/33             | bad value for 'agi_allow': '10.0.0.0/33' has a bad prefix length (0..32)",
            "agi_allow = 256.1.1.1               | bad value for 'agi_allow': '256.1.1.1' is not an IP address or CIDR block (no host names)",
            "agi_allow = ,                       | bad value for 'agi_allow': no address",
            "sip_capture_allow = ::1/129         | bad value for 'sip_capture_allow': '::1/129' has a bad prefix length (0..128)",
            "agi_environment_timeout = 50        | bad value for 'agi_environment_timeout': 50 is outside 100..60000",
            "agi_reply_timeout = 600001          | bad value for 'agi_reply_timeout': 600001 is outside 100..600000",
            "acl = pbx.example.com               | bad value for 'acl': 'pbx.example.com' is not an IP address or CIDR block (no host names)",
            "endpoints = alice bob;x             | bad value for 'endpoints': 'bob;x' is not a PJSIP endpoint name (letters, digits, . _ + - @)",
    })
    void badPeerAndAdmissionValues(String line, String message) throws Exception {
        String text = MINIMAL + line.replace(";", "\\;") + "\n";
        assertEquals("5: " + message, error(text));
    }

    @Test
    void domainAdmissionByAclAndEndpointsInheritedKeyByKey() throws Exception {
        Config c = load(MINIMAL + """
                acl = 203.0.113.0/24
                [open.example.com]
                type = domain
                acl = any
                [carrier.example.com]
                type = domain
                acl = 198.51.100.7, 203.0.113.5/24
                [pbx.example.com]
                type = domain
                endpoints = alice, bob anonymous@pbx.example.com
                """);
        Admission general = c.general().admission();
        assertNull(general.refusal("203.0.113.9", ""));
        assertEquals("source 192.0.2.1 is not in acl", general.refusal("192.0.2.1", ""));
        // a host without a section gets [general]'s rule: the caller cannot escape it by naming another domain
        assertEquals("source 192.0.2.1 is not in acl",
                c.domainFor("elsewhere.example.com").admission().refusal("192.0.2.1", "sipp"));
        assertNull(c.domains().get("open.example.com").admission().refusal("192.0.2.1", ""));
        Admission carrier = c.domains().get("carrier.example.com").admission();
        assertNull(carrier.refusal("198.51.100.7", ""));
        assertNull(carrier.refusal("203.0.113.200", ""), "host bits of a block are ignored");
        assertEquals("source 198.51.100.8 is not in acl", carrier.refusal("198.51.100.8", ""));
        Admission pbx = c.domains().get("pbx.example.com").admission();
        assertNull(pbx.refusal("203.0.113.1", "bob"));
        assertNull(pbx.refusal("203.0.113.1", "anonymous@pbx.example.com"));
        assertEquals("endpoint 'sipp' is not in endpoints", pbx.refusal("203.0.113.1", "sipp"));
        assertEquals("endpoint (unknown) is not in endpoints", pbx.refusal("203.0.113.1", ""));
        assertEquals("source 127.0.0.1 is not in acl", pbx.refusal("127.0.0.1", "bob"), "both rules apply");
    }

    @Test
    void fileRootDefaultsToTheFolderOfTheFileDocuments() throws Exception {
        Config c = load(MINIMAL.replace("https://app.example.com/voice", "file:///srv/twiml/main.xml") + """
                [http.example.com]
                type = domain
                voice_url = https://app.example.com/voice
                [fallback.example.com]
                type = domain
                voice_url = https://app.example.com/voice
                voice_fallback_url = file:///srv/sorry/fallback.xml
                """);
        assertEquals(Path.of("/srv/twiml"), c.domainFor("other.example.com").fileRoot(), "[general]'s voice_url");
        assertNull(c.general().fileRoot(), "not set in [general]");
        assertNull(c.domainFor("http.example.com").fileRoot(), "an http voice_url: no local files");
        assertEquals(Path.of("/srv/sorry"), c.domainFor("fallback.example.com").fileRoot());
        assertNull(load(MINIMAL).domainFor("x.example.com").fileRoot());
    }

    @Test
    void fileRootIsInheritedOrSetPerDomainAndHoldsTheFileDocuments() throws Exception {
        Config c = load(MINIMAL + """
                file_root = /srv/apps
                [a.example.com]
                type = domain
                voice_url = file:///srv/apps/a/main.xml
                [b.example.com]
                type = domain
                file_root = /srv/b/
                voice_url = file:/srv/b/main.xml
                voice_fallback_url = file:///srv/b/x/../fallback.xml
                """);
        assertEquals(Path.of("/srv/apps"), c.general().fileRoot());
        assertEquals(Path.of("/srv/apps"), c.domainFor("a.example.com").fileRoot());
        assertEquals(Path.of("/srv/b"), c.domainFor("b.example.com").fileRoot());
        assertEquals(Path.of("/srv/apps"), c.domainFor("other.example.com").fileRoot());
        String hint = ": set file_root to a folder that holds the domain's file: documents";
        assertEquals("8: 'voice_url' file:///srv/other/main.xml is not below file_root /srv/apps" + hint,
                error(MINIMAL + "file_root = /srv/apps\n[a.example.com]\ntype = domain\n"
                        + "voice_url = file:///srv/other/main.xml\n"));
        assertEquals("7: 'voice_url' file:///srv/apps/main.xml (inherited) is not below file_root /srv/b" + hint,
                error(MINIMAL.replace("https://app.example.com/voice", "file:///srv/apps/main.xml")
                        + "[b.example.com]\ntype = domain\nfile_root = /srv/b\n"));
        assertEquals("5: 'voice_fallback_url' file:///srv/twiml/../../etc/asterisk/pjsip.conf is not below "
                        + "file_root /srv/twiml" + hint,
                error(MINIMAL.replace("https://app.example.com/voice", "file:///srv/twiml/main.xml")
                        + "voice_fallback_url = file:///srv/twiml/../../etc/asterisk/pjsip.conf\n"));
        assertEquals("5: bad value for 'file_root': 'apps' is not an absolute path",
                error(MINIMAL + "file_root = apps\n"));
    }

    @Test
    void callbacksAreNeverFiles() throws Exception {
        assertEquals("5: bad value for 'status_callback': 'file:///srv/status.xml' is not an http(s):// URL "
                + "(callbacks are never files)", error(MINIMAL + "status_callback = file:///srv/status.xml\n"));
        assertEquals("7: bad value for 'status_callback': 'FILE:/srv/status.xml' is not an http(s):// URL "
                + "(callbacks are never files)", error(MINIMAL
                + "[a.example.com]\ntype = domain\nstatus_callback = FILE:/srv/status.xml\n"));
    }

    @Test
    void aShortAuthTokenIsWarnedAbout() throws Exception {
        assertTrue(load(MINIMAL).general().authTokenWarning().orElseThrow().contains("6 characters"));
        String warning = load(MINIMAL.replace("auth_token = secret", "auth_token = " + "x".repeat(31)))
                .general().authTokenWarning().orElseThrow();
        assertFalse(warning.contains("xxx"), "never the token itself");
        assertTrue(load(MINIMAL.replace("auth_token = secret", "auth_token = " + "0123456789abcdef".repeat(2)))
                .general().authTokenWarning().isEmpty());
    }

    @Test
    void amiIsOffWithoutUsernameAndSecretAndDefaultsToLoopback5038() throws Exception {
        assertNull(load(MINIMAL).general().ami(), "off by default");
        Ami a = load(MINIMAL + "ami_username = twiml-agi\nami_secret = s3cr3t-ami\n").general().ami();
        assertEquals(new Ami("127.0.0.1", 5038, "twiml-agi", "s3cr3t-ami"), a);
        assertEquals(new Ami("pbx.internal", 15038, "twiml-agi", "s3cr3t-ami"), load(MINIMAL
                + "ami_host = pbx.internal\nami_port = 15038\nami_username = twiml-agi\nami_secret = s3cr3t-ami\n")
                .general().ami());
        assertEquals("::1", load(MINIMAL + "ami_host = ::1\nami_username = u\nami_secret = s\n").general().ami().host());
        General g = load(MINIMAL + "ami_username = twiml-agi\nami_secret = s3cr3t-ami\n").general();
        assertFalse(g.toString().contains("s3cr3t-ami") || a.toString().contains("s3cr3t-ami"), g.toString());

        assertEquals("5: 'ami_host' needs 'ami_username' and 'ami_secret' (a user of Asterisk's manager.conf, see"
                + " asterisk-conf/manager-twiml.conf)", error(MINIMAL + "ami_host = 127.0.0.1\n"));
        assertEquals("5: 'ami_port' needs 'ami_username' and 'ami_secret' (a user of Asterisk's manager.conf, see"
                + " asterisk-conf/manager-twiml.conf)", error(MINIMAL + "ami_port = 5038\n"));
        assertEquals("5: 'ami_username' needs 'ami_secret' (AMI is off without both)",
                error(MINIMAL + "ami_username = twiml-agi\n"));
        assertEquals("5: 'ami_secret' needs 'ami_username' (AMI is off without both)",
                error(MINIMAL + "ami_secret = s3cr3t\n"));
        assertEquals("6: bad value for 'ami_secret': is the placeholder of asterisk-conf/manager-twiml.conf: make a"
                + " secret (openssl rand -hex 24) and put it in both files",
                error(MINIMAL + "ami_username = twiml-agi\nami_secret = AMI_SECRET\n"));
        for (String bad : new String[] {"two words", "x".repeat(129), "caf\u00e9"}) {
            assertTrue(error(MINIMAL + "ami_username = u\nami_secret = " + bad + "\n")
                    .startsWith("6: bad value for 'ami_secret': ami_secret must be 1 to 128 visible ASCII"), bad);
        }
        for (String bad : new String[] {"a b", "[user]", "x".repeat(81), "us;er".replace(";", "\\;")}) {
            assertTrue(error(MINIMAL + "ami_username = " + bad + "\nami_secret = s\n")
                    .startsWith("5: bad value for 'ami_username': ami_username must be 1 to 80"), bad);
        }
        assertEquals("5: bad value for 'ami_host': '127.0.0.1:5038' is not a host name or IP address (no port: that"
                + " is ami_port)", error(MINIMAL + "ami_host = 127.0.0.1:5038\nami_username = u\nami_secret = s\n"));
        assertEquals("5: bad value for 'ami_port': 0 is outside 1..65535",
                error(MINIMAL + "ami_port = 0\nami_username = u\nami_secret = s\n"));
    }
}
