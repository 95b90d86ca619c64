package io.twimlagi.config;

import io.twimlagi.config.IniFile.Section;
import io.twimlagi.config.IniFile.Value;

import io.twimlagi.twilio.Sids;
import io.twimlagi.twiml.HttpMethod;
import io.twimlagi.util.AddressList;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads the single INI file ({@link IniFile} reads its sections, {@link SectionReader} its typed values) and gives
 * the keys their meaning: {@code [general]}, the domain sections and what they inherit. Keys are matched
 * case-insensitively; values are trimmed; an empty value means "not set" (so the default or inheritance applies),
 * except for the required keys, where it is an error. Every error is a {@link ConfigException} whose message is
 * {@code FILE:LINE: what is wrong}.
 */
public final class ConfigLoader {
    static final String DEFAULT_AGI_BIND = "127.0.0.1:4573";
    static final String DEFAULT_HTTP_BIND = "127.0.0.1:8089";
    static final String DEFAULT_MEDIA_DIR = "/var/lib/twiml-agi";
    static final int DEFAULT_AGI_MAX_CALLS = 2500;
    static final int DEFAULT_CONNECT_TIMEOUT_MS = 5000;
    static final int DEFAULT_TIMEOUT_MS = 15000;

    private static final Set<String> GENERAL_KEYS = Set.of("agi_bind", "http_bind", "public_url", "account_sid",
            "auth_token", "voice_url", "voice_method", "voice_fallback_url", "voice_fallback_method", "status_callback",
            "status_callback_method", "status_callback_event", "shutdown_grace_seconds", "refer_timeout", "media_dir",
            "asterisk_media_dir", "agi_max_calls", "webhook_connect_timeout", "webhook_timeout",
            "log_level", "media_cache_mb", "dial_number", "dial_sip_endpoint", "dial_client",
            "dial_sip_auth_options", "sip_capture", "sip_capture_password",
            "realtime_bind", "realtime_secret", "agi_allow", "agi_environment_timeout", "agi_reply_timeout",
            "sip_capture_allow", "acl", "endpoints", "records_db", "call_log_days",
            "file_root", "ami_host", "ami_port", "ami_username", "ami_secret", "audiosocket_bind",
            "stream_playout");
    private static final Set<String> DOMAIN_KEYS = Set.of("type", "sid", "voice_url", "voice_method",
            "voice_fallback_url", "voice_fallback_method", "status_callback", "status_callback_method",
            "status_callback_event", "dial_number", "dial_sip_endpoint", "dial_client", "acl", "endpoints",
            "file_root");
    private static final Set<String> LOG_LEVELS = Set.of("error", "warn", "info", "debug", "trace");
    /** A PJSIP endpoint as CHANNEL(endpoint) names it, e.g. anonymous@voice.example.com (endpoints = ...). */
    private static final Pattern ADMITTED_ENDPOINT = Pattern.compile("[A-Za-z0-9._+@-]{1,128}");

    private ConfigLoader() {
    }

    /** Reads, parses and validates {@code file}. */
    public static Config load(Path file) throws ConfigException {
        return new Builder(file).build(IniFile.parse(file, IniFile.read(file)));
    }

    /** The semantic level: what each key of [general] and of a domain section means, and inheritance. */
    private static final class Builder extends SectionReader {
        Builder(Path file) {
            super(file);
        }

        Config build(List<Section> sections) throws ConfigException {
            Section general = null;
            List<Section> domainSections = new ArrayList<>();
            for (Section s : sections) {
                if (s.name.equalsIgnoreCase("general")) {
                    general = s;
                    checkKeys(s, GENERAL_KEYS);
                } else {
                    checkKeys(s, DOMAIN_KEYS);
                    Value type = s.values.get("type");
                    if (type == null || type.text().isEmpty()) {
                        throw error(s.line, "section [" + s.name + "] has no 'type = domain'");
                    }
                    if (!type.text().equalsIgnoreCase("domain")) {
                        throw error(type.line(), "bad value for 'type': '" + type.text() + "' (only 'domain' is known)");
                    }
                    domainSections.add(s);
                }
            }
            if (general == null) {
                throw error(sections.isEmpty() ? 1 : sections.get(0).line, "missing [general] section");
            }
            General g = general(general, !domainSections.isEmpty() && domainSections.stream()
                    .allMatch(d -> d.get("voice_url") != null));
            Map<String, Domain> domains = new LinkedHashMap<>();
            for (Section s : domainSections) {
                if (!HOST_NAME.matcher(s.name).matches()) {
                    throw error(s.line, "domain section name [" + s.name + "] is not a host name");
                }
                domains.put(s.name.toLowerCase(Locale.ROOT), domain(s, g));
            }
            return new Config(file, g, domains);
        }

        private void checkKeys(Section s, Set<String> allowed) throws ConfigException {
            for (Map.Entry<String, Value> e : s.values.entrySet()) {
                if (!allowed.contains(e.getKey())) {
                    throw error(e.getValue().line(), "unknown key '" + e.getKey() + "' in [" + s.name + "]");
                }
            }
        }

        private General general(Section s, boolean everyDomainHasVoiceUrl) throws ConfigException {
            InetSocketAddress agiBind = address(s, "agi_bind", DEFAULT_AGI_BIND);
            InetSocketAddress httpBind = address(s, "http_bind", DEFAULT_HTTP_BIND);
            String publicUrl = s.get("public_url");
            if (publicUrl == null) {
                publicUrl = "http://" + hostForUrl(httpBind) + ":" + httpBind.getPort();
            } else {
                publicUrl = publicUrl(publicUrl, s.lineOf("public_url"));
            }
            String accountSid = required(s, "account_sid");
            if (!Sids.isValid("AC", accountSid)) {
                throw error(s.lineOf("account_sid"), "bad value for 'account_sid': expected AC followed by 32 hex digits");
            }
            String authToken = required(s, "auth_token");
            String voiceUrl = url(s, "voice_url");
            if (voiceUrl == null && !everyDomainHasVoiceUrl) {
                throw error(s.line, "missing key 'voice_url' in [general] (required unless every domain section sets it)");
            }
            Path mediaDir = dir(s, "media_dir", Path.of(DEFAULT_MEDIA_DIR));
            Path asteriskMediaDir = dir(s, "asterisk_media_dir", mediaDir);
            int maxCalls = integer(s, "agi_max_calls", DEFAULT_AGI_MAX_CALLS, 1, 1_000_000);
            int connectMs = integer(s, "webhook_connect_timeout", DEFAULT_CONNECT_TIMEOUT_MS, 100, 10_000);
            int totalMs = integer(s, "webhook_timeout", DEFAULT_TIMEOUT_MS, 100, 15_000);
            int mediaCacheMb = integer(s, "media_cache_mb", General.DEFAULT_MEDIA_CACHE_MB, 1, 1_048_576);
            String logLevel = s.get("log_level");
            if (logLevel == null) {
                logLevel = "info";
            } else {
                logLevel = logLevel.toLowerCase(Locale.ROOT);
                if (!LOG_LEVELS.contains(logLevel)) {
                    throw error(s.lineOf("log_level"), "bad value for 'log_level': '" + s.get("log_level")
                            + "' (expected error, warn, info, debug or trace)");
                }
            }
            String fallbackUrl = url(s, "voice_fallback_url");
            Path fileRoot = dir(s, "file_root", null);
            checkFileRoot(s, fileRoot != null ? fileRoot : Domain.defaultFileRoot(voiceUrl, fallbackUrl),
                    voiceUrl, fallbackUrl);
            return new General(agiBind, httpBind, publicUrl, accountSid, authToken, voiceUrl,
                    method(s, "voice_method", HttpMethod.POST), fallbackUrl,
                    method(s, "voice_fallback_method", HttpMethod.POST), callbackUrl(s, "status_callback"),
                    method(s, "status_callback_method", HttpMethod.POST), mediaDir, asteriskMediaDir, maxCalls,
                    Duration.ofMillis(connectMs), Duration.ofMillis(totalMs), logLevel,
                    mediaCacheMb, dialTemplate(s, "dial_number", "{number}", General.DEFAULT_DIAL_NUMBER),
                    dialEndpoint(s, General.DEFAULT_DIAL_SIP_ENDPOINT),
                    dialTemplate(s, "dial_client", "{client}", General.DEFAULT_DIAL_CLIENT),
                    events(s, Set.of("completed")),
                    integer(s, "shutdown_grace_seconds", General.DEFAULT_SHUTDOWN_GRACE_SECONDS, 0, 3600),
                    integer(s, "refer_timeout", General.DEFAULT_REFER_TIMEOUT_SECONDS, 1, 3600),
                    endpointOptions(s, "dial_sip_auth_options", General.DEFAULT_DIAL_SIP_AUTH_OPTIONS),
                    "off".equalsIgnoreCase(s.get("sip_capture")) ? null
                            : address(s, "sip_capture", General.DEFAULT_SIP_CAPTURE),
                    s.get("sip_capture_password"),
                    realtime(s, agiBind, httpBind),
                    addresses(s, "agi_allow", AddressList.LOOPBACK),
                    Duration.ofMillis(integer(s, "agi_environment_timeout",
                            General.DEFAULT_AGI_ENVIRONMENT_TIMEOUT_MS, 100, 60_000)),
                    Duration.ofMillis(integer(s, "agi_reply_timeout", General.DEFAULT_AGI_REPLY_TIMEOUT_MS, 100,
                            600_000)),
                    addresses(s, "sip_capture_allow", AddressList.LOOPBACK),
                    admission(s, Admission.OPEN),
                    file(s, "records_db", mediaDir.resolve(General.DEFAULT_RECORDS_DB_NAME)),
                    integer(s, "call_log_days", General.DEFAULT_CALL_LOG_DAYS, 0, General.MAX_CALL_LOG_DAYS),
                    fileRoot,
                    ami(s),
                    audioSocketBind(s, agiBind, httpBind),
                    streamPlayout(s));

        }

        /**
         * ami_host / ami_port / ami_username / ami_secret: the Asterisk Manager Interface login; off (null) without
         * username and secret, which go together. The host is checked for syntax only: it is resolved at each
         * connection attempt, so a name that resolves later (Asterisk in a container starting after us) works.
         */
        private Ami ami(Section s) throws ConfigException {
            String user = s.get("ami_username");
            String secret = s.get("ami_secret");
            if (user == null && secret == null) {
                for (String key : List.of("ami_host", "ami_port")) {
                    if (s.get(key) != null) {
                        throw error(s.lineOf(key), "'" + key + "' needs 'ami_username' and 'ami_secret' (a user of"
                                + " Asterisk's manager.conf, see asterisk-conf/manager-twiml.conf)");
                    }
                }
                return null;
            }
            if (user == null || secret == null) {
                String missing = user == null ? "ami_username" : "ami_secret";
                String present = user == null ? "ami_secret" : "ami_username";
                throw error(s.lineOf(present), "'" + present + "' needs '" + missing + "' (AMI is off without both)");
            }
            String problem = Ami.usernameProblem(user);
            if (problem != null) throw error(s.lineOf("ami_username"), "bad value for 'ami_username': " + problem);
            problem = Ami.secretProblem(secret);
            if (problem != null) throw error(s.lineOf("ami_secret"), "bad value for 'ami_secret': " + problem);
            String host = s.get("ami_host");
            if (host == null) {
                host = Ami.DEFAULT_HOST;
            } else if (!HOST_NAME.matcher(host).matches() && !isIpv6Literal(host)) {
                throw error(s.lineOf("ami_host"), "bad value for 'ami_host': '" + host
                        + "' is not a host name or IP address (no port: that is ami_port)");
            }
            return new Ami(host, integer(s, "ami_port", Ami.DEFAULT_PORT, 1, 65535), user, secret);
        }

        /** stream_playout: exact (Twilio's: every byte played) or shed_silence. */
        private General.StreamPlayout streamPlayout(Section s) throws ConfigException {
            String v = s.get("stream_playout");
            if (v == null || v.equalsIgnoreCase("exact")) return General.StreamPlayout.EXACT;
            if (v.equalsIgnoreCase("shed_silence")) return General.StreamPlayout.SHED_SILENCE;
            throw error(s.lineOf("stream_playout"), "bad value for 'stream_playout': '" + v
                    + "' (expected exact or shed_silence)");
        }

        /**
         * audiosocket_bind: where Asterisk's AudioSocket connections (Media Streams) reach the server; off (null)
         * with {@code off}. When set, not the port of another listener of ours (the default is not checked: a
         * config written before it existed may use its port elsewhere; the listener then logs that it cannot bind).
         */
        private InetSocketAddress audioSocketBind(Section s, InetSocketAddress agiBind, InetSocketAddress httpBind)
                throws ConfigException {
            if ("off".equalsIgnoreCase(s.get("audiosocket_bind"))) return null;
            InetSocketAddress bind = address(s, "audiosocket_bind", General.DEFAULT_AUDIOSOCKET_BIND);
            if (s.get("audiosocket_bind") == null) return bind;
            for (Map.Entry<String, InetSocketAddress> other : Map.of("http_bind", httpBind, "agi_bind", agiBind)
                    .entrySet()) {
                InetSocketAddress o = other.getValue();
                if (o.getPort() == bind.getPort() && (o.getAddress().equals(bind.getAddress())
                        || o.getAddress().isAnyLocalAddress() || bind.getAddress().isAnyLocalAddress())) {
                    throw error(s.lineOf("audiosocket_bind"), "bad value for 'audiosocket_bind': "
                            + bind.getAddress().getHostAddress() + ":" + bind.getPort() + " is also " + other.getKey());
                }
            }
            return bind;
        }

        /**
         * realtime_bind / realtime_secret: Asterisk's realtime lookups, on a loopback address of their own; off
         * (null) without a secret.
         */
        private Realtime realtime(Section s, InetSocketAddress agiBind, InetSocketAddress httpBind)
                throws ConfigException {
            String secret = s.get("realtime_secret");
            if (secret == null) {
                if (s.get("realtime_bind") != null) {
                    throw error(s.lineOf("realtime_bind"), "'realtime_bind' needs 'realtime_secret' (the secret"
                            + " that Asterisk's res_config_curl URLs carry)");
                }
                return null;
            }
            String problem = Realtime.secretProblem(secret);
            if (problem != null) throw error(s.lineOf("realtime_secret"), "bad value for 'realtime_secret': " + problem);
            InetSocketAddress bind = address(s, "realtime_bind", Realtime.DEFAULT_BIND);
            if (!bind.getAddress().isLoopbackAddress()) {
                throw error(s.lineOf("realtime_bind"), "bad value for 'realtime_bind': '" + s.get("realtime_bind")
                        + "' is not a loopback address such as 127.0.0.1:8090 (its answers carry SIP passwords)");
            }
            for (Map.Entry<String, InetSocketAddress> other : Map.of("http_bind", httpBind, "agi_bind", agiBind)
                    .entrySet()) {
                InetSocketAddress o = other.getValue();
                if (o.getPort() == bind.getPort()
                        && (o.getAddress().equals(bind.getAddress()) || o.getAddress().isAnyLocalAddress())) {
                    throw error(s.lineOf("realtime_bind"), "bad value for 'realtime_bind': " + bind.getAddress()
                            .getHostAddress() + ":" + bind.getPort() + " is also " + other.getKey());
                }
            }
            return new Realtime(bind, secret);
        }

        /**
         * acl (addresses and CIDR blocks) and endpoints (PJSIP endpoint names), each separated by commas or spaces;
         * {@code any} lifts an inherited rule. A key not set keeps {@code inherited}'s.
         */
        private Admission admission(Section s, Admission inherited) throws ConfigException {
            AddressList acl = inherited.acl();
            String aclText = s.get("acl");
            if (aclText != null) acl = aclText.equalsIgnoreCase("any") ? null : addresses(s, "acl", null);
            Set<String> endpoints = inherited.endpoints();
            String names = s.get("endpoints");
            if (names != null && names.equalsIgnoreCase("any")) {
                endpoints = Set.of();
            } else if (names != null) {
                Set<String> set = new LinkedHashSet<>();
                for (String name : names.strip().split("[\\s,]+")) {
                    if (name.isEmpty()) continue;
                    if (!ADMITTED_ENDPOINT.matcher(name).matches()) {
                        throw error(s.lineOf("endpoints"), "bad value for 'endpoints': '" + name
                                + "' is not a PJSIP endpoint name (letters, digits, . _ + - @)");
                    }
                    set.add(name);
                }
                if (set.isEmpty()) throw error(s.lineOf("endpoints"), "bad value for 'endpoints': no name");
                endpoints = set;
            }
            return new Admission(acl, endpoints);
        }

        /**
         * file_root: a file: voice_url or voice_fallback_url (the section's own or inherited) must lie below the
         * folder its documents may read from; checked on the normalised path (symbolic links are resolved when
         * files are read).
         */
        private void checkFileRoot(Section s, Path root, String voiceUrl, String fallbackUrl) throws ConfigException {
            for (String key : List.of("voice_url", "voice_fallback_url")) {
                String url = key.equals("voice_url") ? voiceUrl : fallbackUrl;
                Path path = Domain.localPath(url);
                if (path == null || (root != null && path.startsWith(root))) continue;
                int line = s.get(key) != null ? s.lineOf(key)
                        : s.get("file_root") != null ? s.lineOf("file_root") : s.line;
                throw error(line, "'" + key + "' " + url + (s.get(key) == null ? " (inherited)" : "")
                        + " is not below file_root " + root + ": set file_root to a folder that holds the "
                        + "domain's file: documents");
            }
        }

        /**
         * Inheritance: each URL comes from the domain when set, else from [general]. A method set in the domain
         * always wins; otherwise it is POST when the URL is the domain's own, or [general]'s method when inherited.
         */
        private Domain domain(Section s, General g) throws ConfigException {
            String sid = s.get("sid");
            if (sid == null) {
                sid = Sids.derivedDomainSid(s.name);
            } else if (!Sids.isValid("SD", sid)) {
                throw error(s.lineOf("sid"), "bad value for 'sid': expected SD followed by 32 hex digits");
            }
            String voiceUrl = url(s, "voice_url");
            String fallbackUrl = url(s, "voice_fallback_url");
            String statusCallback = callbackUrl(s, "status_callback");
            String effectiveVoiceUrl = voiceUrl != null ? voiceUrl : g.voiceUrl();
            String effectiveFallbackUrl = fallbackUrl != null ? fallbackUrl : g.voiceFallbackUrl();
            Path ownRoot = dir(s, "file_root", null);
            Path fileRoot = ownRoot != null ? ownRoot : g.fileRoot() != null ? g.fileRoot()
                    : Domain.defaultFileRoot(effectiveVoiceUrl, effectiveFallbackUrl);
            checkFileRoot(s, fileRoot, effectiveVoiceUrl, effectiveFallbackUrl);
            HttpMethod voiceMethod = method(s, "voice_method", null);
            HttpMethod fallbackMethod = method(s, "voice_fallback_method", null);
            HttpMethod statusMethod = method(s, "status_callback_method", null);
            return new Domain(s.name, sid,
                    effectiveVoiceUrl,
                    pick(voiceMethod, voiceUrl, g.voiceMethod()),
                    effectiveFallbackUrl,
                    pick(fallbackMethod, fallbackUrl, g.voiceFallbackMethod()),
                    statusCallback != null ? statusCallback : g.statusCallback(),
                    pick(statusMethod, statusCallback, g.statusCallbackMethod()),
                    events(s, g.statusCallbackEvents()),
                    dialTemplate(s, "dial_number", "{number}", g.dialNumber()),
                    dialEndpoint(s, g.dialSipEndpoint()),
                    dialTemplate(s, "dial_client", "{client}", g.dialClient()),
                    admission(s, g.admission()),
                    fileRoot);
        }

        private static HttpMethod pick(HttpMethod own, String ownUrl, HttpMethod inherited) {
            if (own != null) return own;
            return ownUrl != null ? HttpMethod.POST : inherited;
        }
    }
}
