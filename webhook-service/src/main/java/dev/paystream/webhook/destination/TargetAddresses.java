package dev.paystream.webhook.destination;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * Which addresses a webhook may never be sent to unless the operator allows private targets: the
 * machine itself and the networks behind it (SSRF). The check is made on the address's bytes, never on
 * its text, so that every spelling of an address ({@code 127.1}, {@code ::ffff:7f00:1}, {@code 0x7f.0.0.1}
 * once resolved) gets the same answer; IPv6 forms that carry an IPv4 address (mapped, compatible,
 * NAT64, 6to4) are judged by that address.
 */
public final class TargetAddresses {

    private TargetAddresses() {
    }

    /** Why {@code address} is refused, e.g. {@code "loopback"}, or null when it is a public address. */
    public static String whyRefused(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return whyRefusedV4(bytes);
        }
        if (address instanceof Inet6Address) {
            return whyRefusedV6(bytes);
        }
        return "not an IP address";
    }

    private static String whyRefusedV4(byte[] a) {
        int first = a[0] & 0xff;
        int second = a[1] & 0xff;
        if (first == 0) {
            return "unspecified";
        }
        if (first == 127) {
            return "loopback";
        }
        if (first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)) {
            return "private";
        }
        if (first == 100 && second >= 64 && second <= 127) {
            return "shared (carrier-grade NAT)";
        }
        if (first == 169 && second == 254) {
            return "link-local";
        }
        if (first == 192 && second == 0 && (a[2] & 0xff) == 0) {
            return "IETF protocol assignments";
        }
        if (first == 198 && (second == 18 || second == 19)) {
            return "benchmarking";
        }
        if (first >= 224 && first <= 239) {
            return "multicast";
        }
        if (first >= 240) {
            return "reserved (or broadcast)";
        }
        return null;
    }

    private static String whyRefusedV6(byte[] a) {
        if (isZero(a, 0, 16)) {
            return "unspecified";
        }
        if (isZero(a, 0, 15) && a[15] == 1) {
            return "loopback";
        }
        int first = a[0] & 0xff;
        int second = a[1] & 0xff;
        if (first == 0xff) {
            return "multicast";
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return "link-local";
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return "site-local";
        }
        if ((first & 0xfe) == 0xfc) {
            return "unique-local";
        }
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated) carry an IPv4 address in their last 4 bytes.
        if (isZero(a, 0, 10) && ((a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff || isZero(a, 10, 12))) {
            return embedded(Arrays.copyOfRange(a, 12, 16));
        }
        // 64:ff9b::/96 (NAT64) translates to the IPv4 address in its last 4 bytes.
        if (first == 0x00 && second == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b && isZero(a, 4, 12)) {
            return embedded(Arrays.copyOfRange(a, 12, 16));
        }
        // 2002::/16 (6to4) reaches the IPv4 address in bytes 2 to 5.
        if (first == 0x20 && second == 0x02) {
            return embedded(Arrays.copyOfRange(a, 2, 6));
        }
        return null;
    }

    private static String embedded(byte[] v4) {
        String why = whyRefusedV4(v4);
        return why == null ? null : why + " (IPv4 inside IPv6)";
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int index = from; index < to; index++) {
            if (bytes[index] != 0) {
                return false;
            }
        }
        return true;
    }
}
