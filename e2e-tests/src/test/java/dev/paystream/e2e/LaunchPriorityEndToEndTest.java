package dev.paystream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./paystream up} runs the services that mostly consume events (customer-, ledger- and
 * webhook-service) at a lower CPU priority than the request path (gateway, payment-service), so that on a
 * saturated machine, in the minute after start-up above all, their JIT does not take the cores from the
 * first API requests (issue 19). Checked on the shared platform, started with the defaults, from the
 * processes' nice values in {@code /proc/<pid>/stat} (Linux).
 */
@ExtendWith(Platform.Shared.class)
class LaunchPriorityEndToEndTest {

    /** PAYSTREAM_BACKGROUND_NICE's default. */
    private static final int BACKGROUND_NICE = 5;
    private static Platform platform;

    @BeforeAll
    static void connect(Platform started) {
        platform = started;
    }

    @Test
    void theServicesThatConsumeEventsRunFiveNiceLevelsBelowTheRequestPath() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "the processes' nice values (Linux /proc) are needed");
        int gateway = nice(platform.pid("gateway-service"));
        int expected = Math.min(19, gateway + BACKGROUND_NICE);

        assertThat(nice(platform.pid("payment-service"))).as("payment-service").isEqualTo(gateway);
        for (String background : new String[] {"customer-service", "ledger-service", "webhook-service"}) {
            assertThat(nice(platform.pid(background))).as(background).isEqualTo(expected);
        }
    }

    /** Field 19 of {@code /proc/<pid>/stat}, counted after the command name, which may hold spaces. */
    private static int nice(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state); nice is field 19.
        return Integer.parseInt(fields[19 - 3]);
    }
}
