package io.twimlagi.util;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressListTest {
    @Test
    void matchesAddressesAndBlocksOfBothFamilies() throws Exception {
        AddressList l = AddressList.parse("203.0.113.0/24 198.51.100.7,2001:db8::/32, [::1]");
        assertTrue(l.contains("203.0.113.255"));
        assertFalse(l.contains("203.0.114.0"));
        assertTrue(l.contains("198.51.100.7"));
        assertFalse(l.contains("198.51.100.70"));
        assertTrue(l.contains("2001:db8:ffff::1"));
        assertTrue(l.contains("[2001:db8::1]"));
        assertTrue(l.contains("::1"));
        assertFalse(l.contains("fe80::1%eth0"));
        assertTrue(l.contains(InetAddress.getByName("::ffff:203.0.113.9")), "IPv4-mapped is the IPv4 address");
        assertFalse(l.contains(InetAddress.getByName("::ffff:192.0.2.1")));
        assertEquals("203.0.113.0/24, 198.51.100.7, 2001:db8::/32, [::1]", l.toString());
    }

    @Test
    void zeroPrefixAndOddPrefixes() {
        assertTrue(AddressList.parse("0.0.0.0/0").contains("192.0.2.1"));
        assertFalse(AddressList.parse("0.0.0.0/0").contains("::1"), "an IPv4 block never matches IPv6");
        AddressList l = AddressList.parse("10.0.0.0/9");
        assertTrue(l.contains("10.127.255.255"));
        assertFalse(l.contains("10.128.0.0"));
    }

    @Test
    void neverResolvesNamesAndRejectsJunk() {
        assertThrows(IllegalArgumentException.class, () -> AddressList.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> AddressList.parse("10.0.0.1/x"));
        assertThrows(IllegalArgumentException.class, () -> AddressList.parse("1.2.3"));
        assertThrows(IllegalArgumentException.class, () -> AddressList.parse("1.2.3.4.5"));
        assertThrows(IllegalArgumentException.class, () -> AddressList.parse("::g"));
        AddressList any = AddressList.parse("0.0.0.0/0, ::/0");
        assertFalse(any.contains("localhost"), "a name is not an address: no lookup, no match");
        assertFalse(any.contains(""));
        assertFalse(any.contains((String) null));
        assertFalse(any.contains("999.1.1.1"));
    }
}
