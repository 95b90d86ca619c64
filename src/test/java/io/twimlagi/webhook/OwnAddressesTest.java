package io.twimlagi.webhook;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OwnAddressesTest {
    static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    final OwnAddresses wildcard;
    final OwnAddresses loopback;

    OwnAddressesTest() throws Exception {
        wildcard = new OwnAddresses(List.of(at("0.0.0.0", 8089), at("127.0.0.1", 4573)));
        loopback = new OwnAddresses(List.of(at("127.0.0.1", 8089)));
    }

    @Test
    void linkLocalIsRefusedOnAnyPortAlsoWrappedInIpv6() throws Exception {
        for (String ip : List.of("169.254.169.254", "169.254.0.1", "fe80::1", "febf::1", "::ffff:169.254.169.254",
                "64:ff9b::a9fe:a9fe", "fd00:ec2::254")) {
            assertTrue(OwnAddresses.none().refusal(at(ip, 80)).isPresent(), ip);
        }
        for (String ip : List.of("169.253.255.255", "169.255.0.1", "fec0::1", "8.8.8.8", "2001:db8::1")) {
            assertFalse(OwnAddresses.none().refusal(at(ip, 80)).isPresent(), ip);
        }
    }

    @Test
    void ourPortsAreRefusedOnEveryLocalAddress() throws Exception {
        for (String ip : List.of("127.0.0.1", "127.1.2.3", "::1", "0.0.0.0", "::", "::ffff:127.0.0.1")) {
            assertTrue(wildcard.refusal(at(ip, 8089)).isPresent(), ip);
            assertTrue(wildcard.refusal(at(ip, 4573)).isPresent(), ip);
            assertTrue(loopback.refusal(at(ip, 8089)).isPresent(), ip);
        }
        for (InetAddress mine : Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream()).toList()) {
            Optional<String> why = wildcard.refusal(new InetSocketAddress(mine, 8089));
            assertTrue(why.isPresent(), "this machine's " + mine + " with our port");
        }
    }

    @Test
    void otherPortsAndOtherHostsStayReachable() throws Exception {
        assertFalse(wildcard.refusal(at("127.0.0.1", 8080)).isPresent(), "an app on loopback");
        assertFalse(wildcard.refusal(at("203.0.113.7", 8089)).isPresent(), "another host's 8089");
        assertTrue(wildcard.refusal(InetSocketAddress.createUnresolved("example.com", 80)).isPresent(),
                "only resolved addresses are judged");
    }
}
