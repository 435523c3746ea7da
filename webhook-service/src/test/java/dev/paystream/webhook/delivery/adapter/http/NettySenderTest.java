package dev.paystream.webhook.delivery.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.webhook.delivery.domain.AttemptResult;
import dev.paystream.webhook.support.Receiver;
import dev.paystream.webhook.destination.TargetPolicy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sender against a real receiver: the SSRF guard again at delivery, and connections that go where the check said. */
class NettySenderTest {

    private static final Map<String, String> HEADERS = Map.of("content-type", "application/json");

    @Test
    void aTargetThatResolvesToAnInternalAddressAtDeliveryIsNotSentAnything() {
        try (Receiver receiver = Receiver.ok();
             NettySender sender = new NettySender(new TargetPolicy(false, host -> new InetAddress[] {InetAddress.getLoopbackAddress()}),
                     Duration.ofSeconds(2), 4)) {
            // Registered when the name still resolved elsewhere (or in local mode): now it resolves to loopback.
            AttemptResult viaName = sender.send("https://hooks.example.com:" + receiver.port() + "/x", HEADERS, "{}").block();
            AttemptResult viaLiteral = sender.send("https://127.0.0.1:" + receiver.port() + "/x", HEADERS, "{}").block();
            AttemptResult plainHttp = sender.send(receiver.url("/x"), HEADERS, "{}").block();

            for (AttemptResult result : new AttemptResult[] {viaName, viaLiteral, plainHttp}) {
                assertThat(result.statusCode()).isNull();
                assertThat(result.error()).isEqualTo(AttemptResult.Error.BLOCKED_TARGET);
            }
            assertThat(receiver.requests()).isEmpty();
        }
    }

    @Test
    void theConnectionGoesToTheAddressThatWasCheckedUnderTheUrlsHostName() {
        try (Receiver receiver = Receiver.answering(request -> Receiver.Answer.of(201, "created")); 
             NettySender sender = new NettySender(new TargetPolicy(true, host -> new InetAddress[] {InetAddress.getLoopbackAddress()}),
                     Duration.ofSeconds(2), 4)) {
            AttemptResult result = sender.send("http://hooks.example.com:" + receiver.port() + "/in?x=1", HEADERS, "{\"a\":1}").block();

            assertThat(result.statusCode()).isEqualTo(201);
            assertThat(result.responseBody()).isEqualTo("created");
            Receiver.Request request = receiver.requests().get(0);
            assertThat(request.header("host")).isEqualTo("hooks.example.com:" + receiver.port());
            assertThat(request.path()).isEqualTo("/in?x=1");
            assertThat(request.body()).isEqualTo("{\"a\":1}");
        }
    }

    @Test
    void aHostThatDoesNotResolveOrAPortThatRefusesIsAnAttemptWithoutAnswer() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (NettySender sender = new NettySender(TargetPolicy.withSystemResolver(true), Duration.ofSeconds(2), 4)) {
            assertThat(sender.send("http://127.0.0.1:" + closedPort + "/x", HEADERS, "{}").block().error())
                    .isEqualTo(AttemptResult.Error.CONNECTION_FAILED);
            assertThat(sender.send("http://no-such-host.invalid/x", HEADERS, "{}").block().error())
                    .isEqualTo(AttemptResult.Error.UNRESOLVABLE);
        }
    }

    @Test
    void onlyAnAddressLiteralIsCheckedWithoutAHopToABlockingThread() {
        assertThat(NettySender.isAddressLiteral("http://127.0.0.1:3001/hooks")).isTrue();
        assertThat(NettySender.isAddressLiteral("https://[::1]/hooks")).isTrue();
        assertThat(NettySender.isAddressLiteral("https://user@10.0.0.1?x=1")).isTrue();
        assertThat(NettySender.isAddressLiteral("https://hooks.example.com/hooks")).isFalse();
        assertThat(NettySender.isAddressLiteral("https://127.0.0.1.nip.io/hooks")).isFalse();
        assertThat(NettySender.isAddressLiteral("https:///nohost")).isFalse();
        assertThat(NettySender.isAddressLiteral("not a url")).isFalse();
    }
}
