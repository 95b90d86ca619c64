package io.twimlagi.config;

import io.twimlagi.twilio.Sids;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The whole configuration. {@code domains} is keyed by the lower-cased section name, in file order, and holds the
 * effective (already merged with {@code [general]}) settings.
 */
public record Config(Path file, General general, Map<String, Domain> domains) {

    public Config {
        Map<String, Domain> copy = new LinkedHashMap<>();
        domains.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), v));
        domains = Collections.unmodifiableMap(copy);
    }

    /**
     * The domain for a SIP host (the host of the INVITE's Request-URI), case-insensitively; a trailing ':port' and a
     * trailing dot are ignored. A host without a section gets a domain built from {@code [general]} whose name is
     * the host as given (trimmed) and whose sid is {@link Sids#derivedDomainSid(String) derived} from it; its admission
     * is {@code [general]}'s {@code acl}/{@code endpoints}.
     */
    public Domain domainFor(String sipHost) {
        String host = sipHost == null ? "" : sipHost.trim();
        String key = normalizeHost(host);
        Domain d = domains.get(key);
        if (d != null) return d;
        General g = general;
        return new Domain(host, Sids.derivedDomainSid(key), g.voiceUrl(), g.voiceMethod(), g.voiceFallbackUrl(),
                g.voiceFallbackMethod(), g.statusCallback(), g.statusCallbackMethod(), g.statusCallbackEvents(),
                g.dialNumber(), g.dialSipEndpoint(), g.dialClient(), g.admission(),
                g.defaultDomainFileRoot());
    }

    static String normalizeHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {                       // [v6] or [v6]:port
            int close = h.indexOf(']');
            if (close > 0) h = h.substring(0, close + 1);
        } else if (h.indexOf(':') == h.lastIndexOf(':') && h.indexOf(':') >= 0) {   // host:port (not bare v6)
            h = h.substring(0, h.indexOf(':'));
        }
        while (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h;
    }
}
