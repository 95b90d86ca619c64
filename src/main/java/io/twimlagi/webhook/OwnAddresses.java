package io.twimlagi.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Where an outgoing request must never connect (README "Security"): the listeners of this server
 * ({@code http_bind}, {@code agi_bind}, ...), reached through any address of this machine, and link-local
 * addresses (169.254.0.0/16, fe80::/10: cloud metadata services live there), whatever the port.
 *
 * <p>Addresses are compared, never host names: a listener bound to 0.0.0.0 or :: is reached through every local
 * address, so any local address (loopback, the wildcard, an address of a local interface) with one of our ports
 * is refused; a listener bound to one address is refused through every local address too (stricter than needed,
 * simpler to trust). Other services on loopback (a TwiML app on the same host) stay reachable.
 */
public final class OwnAddresses {
    /** AWS's IPv6 instance metadata address: not link-local, but the same service as 169.254.169.254. */
    private static final InetAddress AWS_METADATA_V6 = literal("fd00:ec2::254");

    private final List<InetSocketAddress> listeners;

    /** @param listeners the addresses this server listens on for TCP (null entries are skipped) */
    public OwnAddresses(List<InetSocketAddress> listeners) {
        this.listeners = listeners.stream().filter(Objects::nonNull).toList();
    }

    /** No listeners of our own: only link-local addresses are refused (tests, tools). */
    public static OwnAddresses none() {
        return new OwnAddresses(List.of());
    }

    /** Why a connection to {@code target} is refused, or empty when it may be made. */
    public Optional<String> refusal(InetSocketAddress target) {
        InetAddress address = target.getAddress();
        if (address == null) return Optional.of(target.getHostString() + " is not resolved");
        InetAddress a = embeddedV4(address);
        if (a.isLinkLocalAddress() || a.equals(AWS_METADATA_V6)) {
            return Optional.of(a.getHostAddress() + " is a link-local (cloud metadata) address");
        }
        for (InetSocketAddress own : listeners) {
            if (own.getPort() == target.getPort() && isLocal(a)) {
                return Optional.of(a.getHostAddress() + ":" + target.getPort() + " is this server's own listener "
                        + own.getAddress().getHostAddress() + ":" + own.getPort());
            }
        }
        return Optional.empty();
    }

    /** Loopback, the wildcard (connecting to 0.0.0.0 reaches loopback) or an address of a local interface. */
    static boolean isLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) return true;
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return true; // cannot tell: refuse rather than risk reaching ourselves
        }
    }

    /** The IPv4 address inside an IPv4-mapped/-compatible or NAT64 (64:ff9b::/96) IPv6 address, else itself. */
    static InetAddress embeddedV4(InetAddress a) {
        if (!(a instanceof Inet6Address)) return a;
        byte[] b = a.getAddress();
        boolean zero80 = true;
        for (int i = 0; i < 10; i++) zero80 &= b[i] == 0;
        boolean mapped = zero80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zero80 && b[10] == 0 && b[11] == 0 && !a.isLoopbackAddress() && !a.isAnyLocalAddress();
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b && IntStream.range(4, 12).allMatch(i -> b[i] == 0);
        if (!mapped && !compatible && !nat64) return a;
        try {
            return Inet4Address.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            return a;
        }
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "OwnAddresses" + listeners;
    }
}
