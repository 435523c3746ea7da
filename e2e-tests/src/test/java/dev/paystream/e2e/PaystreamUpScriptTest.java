package dev.paystream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ./paystream up} takes no port it cannot have for its own: a port another program listens on,
 * or one given to two components, is refused with the port named, before anything is started (else
 * the readiness check could be answered by that other program: chaos/run, 2026-12-01, payment- and
 * webhook-service both on 37713, webhook-service not started and reported ready). Nothing is started
 * here: the database named is one where nothing answers, and not on 127.0.0.1 (where up would start an
 * embedded one), so that an up that did not refuse stops there, before it starts anything.
 */
class PaystreamUpScriptTest {

    private static final Duration REFUSED_WITHIN = Duration.ofSeconds(60);
    private static final String NO_DATABASE = "postgresql://postgres@127.0.0.2:" + Platform.freePort();

    @Test
    void aServicesPortThatAnotherProgramListensOnMakesUpFailNamingThePort() throws IOException {
        try (Platform platform = Platform.prepare(root("up-port-taken"), Platform.registry(), NO_DATABASE, Map.of());
             ServerSocket other = new ServerSocket(platform.port("payment"), 50, InetAddress.getLoopbackAddress())) {
            int port = other.getLocalPort();

            assertThatThrownBy(() -> platform.run(REFUSED_WITHIN, "up"))
                    .hasMessageContaining("exited with 1")
                    .hasMessageContaining("Port " + port + " (payment-service) is already in use by another program");
            assertThat(pidFiles(platform)).as("nothing was started").isEmpty();
        }
    }

    @Test
    void twoServicesGivenOnePortMakeUpFailNamingThePortAndBoth() throws IOException {
        String port = Integer.toString(Platform.freePort());
        try (Platform platform = Platform.prepare(root("up-port-twice"), Platform.registry(), NO_DATABASE,
                Map.of("PAYSTREAM_PAYMENT_PORT", port, "PAYSTREAM_WEBHOOK_PORT", port))) {

            assertThatThrownBy(() -> platform.run(REFUSED_WITHIN, "up"))
                    .hasMessageContaining("exited with 1")
                    .hasMessageContaining("Port " + port + " is given to both payment-service and webhook-service");
            assertThat(pidFiles(platform)).as("nothing was started").isEmpty();
        }
    }

    private static Path root(String name) {
        return Path.of(System.getProperty("paystream.build.dir", "target")).toAbsolutePath().resolve(name);
    }

    private static java.util.List<Path> pidFiles(Platform platform) throws IOException {
        Path pids = platform.state().resolve("pids");
        if (!Files.isDirectory(pids)) {
            return java.util.List.of();
        }
        try (Stream<Path> files = Files.list(pids)) {
            return files.toList();
        }
    }
}
