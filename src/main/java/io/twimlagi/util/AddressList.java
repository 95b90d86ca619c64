package io.twimlagi.util;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A list of IP addresses and CIDR blocks ({@code 203.0.113.0/24, 198.51.100.7, ::1, 2001:db8::/32}), as the config
 * writes them: entries separated by commas and/or spaces. Only literals: a host name is an error, so matching never
 * does a DNS lookup. An IPv4 address never matches an IPv6 block and the reverse (Java already turns an
 * IPv4-mapped {@code ::ffff:a.b.c.d} into the IPv4 address).
 */
public final class AddressList {
    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** Loopback only: {@code 127.0.0.0/8} and {@code ::1}. */
    public static final AddressList LOOPBACK = parse("127.0.0.0/8, ::1");

    /** One block: the network's bytes (host bits cleared) and its prefix length. */
    private record Block(byte[] network, int prefix, String text) {
        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) return false;
            }
            int rest = prefix % 8;
            if (rest == 0) return true;
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private AddressList(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * Parses {@code text}; throws IllegalArgumentException naming the first entry that is not an IP address or
     * CIDR block (the message is meant for a config error). An empty text is an empty list, which matches nothing.
     */
    public static AddressList parse(String text) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : text.strip().split("[\\s,]+")) {
            if (entry.isEmpty()) continue;
            blocks.add(block(entry));
        }
        return new AddressList(blocks);
    }

    private static Block block(String entry) {
        int slash = entry.indexOf('/');
        String ip = slash < 0 ? entry : entry.substring(0, slash);
        byte[] bytes = literal(ip);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block (no host names)");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = entry.substring(slash + 1);
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > bits) {
                throw new IllegalArgumentException("'" + entry + "' has a bad prefix length (0.." + bits + ")");
            }
            prefix = Integer.parseInt(p);
        }
        for (int i = 0; i < bytes.length; i++) { // clear the host bits: 203.0.113.5/24 is 203.0.113.0/24
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) ((0xff << (8 - keep)) & 0xff);
        }
        return new Block(bytes, prefix, entry);
    }

    /** The bytes of an IP literal (IPv6 may be bracketed, a zone is ignored), or null when it is not one. */
    static byte[] literal(String text) {
        String ip = text.strip();
        if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.substring(1, ip.length() - 1);
        int zone = ip.indexOf('%');
        if (zone >= 0) ip = ip.substring(0, zone);
        if (V4.matcher(ip).matches()) {
            byte[] b = new byte[4];
            String[] parts = ip.split("\\.");
            for (int i = 0; i < 4; i++) {
                int n = Integer.parseInt(parts[i]);
                if (n > 255) return null;
                b[i] = (byte) n;
            }
            return b;
        }
        if (!V6.matcher(ip).matches()) return null; // never a DNS lookup: a text with ':' is parsed as IPv6 only
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    public boolean contains(InetAddress address) {
        return address != null && contains(address.getAddress());
    }

    /** True when {@code ip} is an IP literal inside the list; false for anything else (empty, a name, junk). */
    public boolean contains(String ip) {
        byte[] bytes = ip == null ? null : literal(ip);
        return bytes != null && contains(bytes);
    }

    private boolean contains(byte[] address) {
        for (Block b : blocks) {
            if (b.contains(address)) return true;
        }
        return false;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** The entries as written, comma-separated. */
    @Override
    public String toString() {
        return String.join(", ", blocks.stream().map(Block::text).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressList other && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
