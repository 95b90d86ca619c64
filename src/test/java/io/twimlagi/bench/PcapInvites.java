package io.twimlagi.bench;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The first INVITE of each bench call in a tcpdump capture (classic pcap, as {@code tcpdump -w} writes it): the
 * kernel's timestamp of the packet, in epoch microseconds, by the call's number, read from the Request-URI
 * {@code INVITE sip:<prefix><number>@…}. Only IPv4/UDP; link types Ethernet (Linux's {@code lo}), null, Linux
 * cooked v1 and v2. Retransmissions and later INVITEs of a call are ignored.
 */
final class PcapInvites {
    private PcapInvites() {
    }

    static Map<Integer, Long> read(Path pcap, String prefix) throws IOException {
        Map<Integer, Long> first = new HashMap<>();
        byte[] marker = ("INVITE sip:" + prefix).getBytes(StandardCharsets.US_ASCII);
        try (InputStream raw = Files.newInputStream(pcap);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
            byte[] global = new byte[24];
            in.readFully(global);
            ByteBuffer g = ByteBuffer.wrap(global).order(ByteOrder.LITTLE_ENDIAN);
            int magic = g.getInt(0);
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
                order = ByteOrder.BIG_ENDIAN;
                magic = Integer.reverseBytes(magic);
            }
            boolean nanos = magic == 0xa1b23c4d;
            if (!nanos && magic != 0xa1b2c3d4) throw new IOException(pcap + ": not a classic pcap file");
            int linkType = ByteBuffer.wrap(global).order(order).getInt(20);
            int linkHeader = switch (linkType) {
                case 1 -> 14;   // Ethernet
                case 0 -> 4;    // BSD loopback
                case 113 -> 16; // Linux cooked v1
                case 276 -> 20; // Linux cooked v2
                default -> throw new IOException(pcap + ": link type " + linkType + " not supported");
            };
            byte[] rec = new byte[16];
            while (true) {
                try {
                    in.readFully(rec);
                } catch (EOFException end) {
                    break;
                }
                ByteBuffer r = ByteBuffer.wrap(rec).order(order);
                long sec = r.getInt(0) & 0xffffffffL;
                long frac = r.getInt(4) & 0xffffffffL;
                int caplen = r.getInt(8);
                byte[] p = new byte[caplen];
                try {
                    in.readFully(p);
                } catch (EOFException truncated) { // tcpdump stopped in the middle of a packet
                    break;
                }
                long micros = sec * 1_000_000 + (nanos ? frac / 1000 : frac);
                int ip = linkHeader;
                if (caplen < ip + 28 || (p[ip] >> 4) != 4 || p[ip + 9] != 17) continue;
                int payload = ip + (p[ip] & 0x0f) * 4 + 8;
                Integer n = callNumber(p, payload, marker);
                if (n != null) first.putIfAbsent(n, micros);
            }
        }
        return first;
    }

    /** The digits after {@code marker} at {@code at}, up to '@'; null when the packet is not such an INVITE. */
    static Integer callNumber(byte[] p, int at, byte[] marker) {
        if (p.length < at + marker.length + 1) return null;
        for (int i = 0; i < marker.length; i++) if (p[at + i] != marker[i]) return null;
        int n = 0;
        int digits = 0;
        for (int i = at + marker.length; i < p.length && p[i] != '@'; i++) {
            if (p[i] < '0' || p[i] > '9' || ++digits > 9) return null;
            n = n * 10 + (p[i] - '0');
        }
        return digits == 0 ? null : n;
    }
}
