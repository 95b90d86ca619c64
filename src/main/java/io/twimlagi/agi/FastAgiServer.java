package io.twimlagi.agi;

import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.SimpleMappingStrategy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The FastAGI server, configured for telephony: bound where the config says, only peers in {@code agi_allow}
 * ({@link AgiListener}), one thread per call up to {@code agi_max_calls} (small stacks, so thousands fit), no read
 * timeout while a call runs (a call can last hours) but deadlines for the AGI environment and for the replies to
 * commands that return at once ({@link AgiLimits}), its scripts by name ({@link AgiScripts}; no class loading by
 * URL), and no trailing command after the call.
 */
public final class FastAgiServer implements AutoCloseable {
    private final AgiListener listener;

    /** With {@link AgiLimits#DEFAULTS}: loopback peers only. */
    public FastAgiServer(InetSocketAddress bind, int maxCalls, Map<String, AgiScript> scripts) throws IOException {
        this(bind, maxCalls, AgiLimits.DEFAULTS, scripts);
    }

    /** @param scripts the AGI scripts by name ({@link AgiScripts#of}); other names are refused */
    public FastAgiServer(InetSocketAddress bind, int maxCalls, AgiLimits limits, Map<String, AgiScript> scripts)
            throws IOException {
        SimpleMappingStrategy mapping = new SimpleMappingStrategy();
        mapping.setMappings(scripts);
        listener = new AgiListener(bind, maxCalls, limits, mapping);
    }

    /** Stops taking calls (Asterisk's dialplan then answers new ones 503); calls in progress go on. */
    @Override
    public void close() {
        listener.close();
    }
}
