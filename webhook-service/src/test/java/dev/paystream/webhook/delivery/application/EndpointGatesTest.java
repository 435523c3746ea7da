package dev.paystream.webhook.delivery.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-endpoint gate: a bounded share of the attempts, and a circuit that opens on a failing receiver and closes when it recovers. */
class EndpointGatesTest {

    private final EndpointGates gates = new EndpointGates(new EndpointGates.Settings(2, 50, 4, 4, Duration.ofMillis(200)));

    @Test
    void anEndpointGetsAtMostItsShareOfAttemptsAtOnceWhileOthersGetTheirs() {
        EndpointGates.Entry first = gates.enter("we_slow");
        EndpointGates.Entry second = gates.enter("we_slow");

        assertThat(gates.closed()).containsExactly("we_slow");
        assertThat(gates.enter("we_slow")).isEqualTo(new EndpointGates.Closed("endpoint_busy"));
        assertThat(gates.enter("we_fast")).isInstanceOf(EndpointGates.Pass.class);
        gates.leave((EndpointGates.Pass) first, false);
        assertThat(gates.closed()).isEmpty();
        assertThat(gates.enter("we_slow")).isInstanceOf(EndpointGates.Pass.class);
        gates.abandon((EndpointGates.Pass) second);
    }

    @Test
    void aReceiverThatKeepsFailingIsLeftAloneUntilOneAttemptShowsItRecovered() {
        for (int attempt = 0; attempt < 4; attempt++) {
            gates.leave((EndpointGates.Pass) gates.enter("we_down"), true);
        }

        assertThat(gates.enter("we_down")).isEqualTo(new EndpointGates.Closed("circuit_open"));
        assertThat(gates.closed()).containsExactly("we_down");
        assertThat(gates.waitAfter("circuit_open", Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(200));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> gates.enter("we_down") instanceof EndpointGates.Pass probe && leave(probe));
        assertThat(gates.enter("we_down")).isInstanceOf(EndpointGates.Pass.class);
        assertThat(gates.closed()).as("closed again: the circuit, and the bulkhead has room").isEmpty();
    }

    private boolean leave(EndpointGates.Pass pass) {
        gates.leave(pass, false);
        return true;
    }
}
