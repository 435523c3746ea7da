package dev.paystream.webhook.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The SSRF guard's rules: which addresses and URLs are refused, in every spelling, and again when DNS changes. */
class TargetPolicyTest {

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException notALiteral) {
            throw new IllegalArgumentException(literal, notALiteral);
        }
    }

    private static InetAddress v6(String hex) {
        try {
            return InetAddress.getByAddress(java.util.HexFormat.of().parseHex(hex));
        } catch (UnknownHostException wrongLength) {
            throw new IllegalArgumentException(hex, wrongLength);
        }
    }

    @Test
    void internalAddressesAreRefusedAndPublicOnesAllowed() {
        for (String internal : List.of("127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1", "100.64.0.1",
                "100.127.255.255", "169.254.169.254", "0.0.0.0", "224.0.0.251", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12::1",
                "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:7f00:1::")) {
            assertThat(TargetAddresses.whyRefused(address(internal))).as(internal).isNotNull();
        }
        // IPv4-mapped and IPv4-compatible IPv6 built from raw bytes (Java may not turn these into IPv4 addresses).
        assertThat(TargetAddresses.whyRefused(v6("00000000000000000000ffff7f000001"))).isNotNull();
        assertThat(TargetAddresses.whyRefused(v6("0000000000000000000000000a000001"))).isNotNull();
        for (String external : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700::1111",
                "::ffff:8.8.8.8")) {
            assertThat(TargetAddresses.whyRefused(address(external))).as(external).isNull();
        }
    }

    @Test
    void onlyHttpsUrlsWithoutCredentialsAreTargetsOutsideLocalMode() {
        TargetPolicy strict = new TargetPolicy(false, host -> new InetAddress[] {address("93.184.216.34")});
        TargetPolicy local = new TargetPolicy(true, host -> new InetAddress[] {address("127.0.0.1")});

        assertThat(strict.parse("https://hooks.example.com/x?y=1").getHost()).isEqualTo("hooks.example.com");
        assertThatThrownBy(() -> strict.parse("http://hooks.example.com/x")).hasMessageContaining("https");
        assertThat(local.parse("http://localhost:3000/webhooks").getPort()).isEqualTo(3000);
        for (String invalid : List.of("", "ftp://example.com", "https://user:secret@example.com/", "https://example.com/#x", "/relative",
                "https:///nohost", "https://example.com:0/", "javascript:alert(1)", "https://" + "a".repeat(2050) + ".com")) {
            assertThatThrownBy(() -> strict.parse(invalid)).as(invalid).isInstanceOf(TargetPolicy.InvalidTarget.class);
            assertThatThrownBy(() -> local.parse(invalid)).as(invalid).isInstanceOf(TargetPolicy.InvalidTarget.class);
        }
    }

    @Test
    void aNameIsCheckedByEveryAddressItResolvesToEachTimeSoThatAChangedAnswerIsRefused() {
        AtomicReference<InetAddress[]> dns = new AtomicReference<>(new InetAddress[] {address("93.184.216.34")});
        TargetPolicy policy = new TargetPolicy(false, host -> dns.get());
        URI url = policy.parse("https://hooks.example.com/x");

        TargetPolicy.Resolution atRegistration = policy.resolve(url);
        assertThat(atRegistration).isInstanceOf(TargetPolicy.Allowed.class);
        assertThat(((TargetPolicy.Allowed) atRegistration).address().getHostString()).isEqualTo("hooks.example.com");
        assertThat(((TargetPolicy.Allowed) atRegistration).address().getPort()).isEqualTo(443);

        dns.set(new InetAddress[] {address("93.184.216.34"), address("10.0.0.7")});
        assertThat(policy.resolve(url)).isInstanceOf(TargetPolicy.Refused.class);
        dns.set(new InetAddress[] {address("::ffff:127.0.0.1")});
        assertThat(policy.resolve(url)).isInstanceOf(TargetPolicy.Refused.class);

        TargetPolicy unresolvable = new TargetPolicy(false, host -> {
            throw new UnknownHostException(host);
        });
        assertThat(unresolvable.resolve(url)).isInstanceOf(TargetPolicy.Unresolvable.class);
    }
}
