package dev.paystream.webhook.delivery.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
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

    @Test
    void anAttemptBeyondTheEndpointsShareWaitsInItsLineAndTakesTheSlotOfTheFirstToEnd() {
        EndpointGates waiting = new EndpointGates(new EndpointGates.Settings(1, 50, 4, 4, Duration.ofMillis(200), 1, Duration.ofSeconds(5)));
        EndpointGates.Pass running = (EndpointGates.Pass) waiting.enter("we_busy");
        AtomicReference<EndpointGates.Entry> second = new AtomicReference<>();
        waiting.enterOrWait("we_busy").subscribe(second::set);

        assertThat(second.get()).as("waits: the endpoint has its one attempt").isNull();
        assertThat(waiting.closed()).as("the line is full: the worker leaves this endpoint's items on the queue").containsExactly("we_busy");
        assertThat(waiting.enterOrWait("we_busy").block()).as("no room in the line").isEqualTo(new EndpointGates.Closed("endpoint_busy"));
        waiting.leave(running, false);

        assertThat(second.get()).as("handed the slot at once").isInstanceOf(EndpointGates.Pass.class);
        assertThat(waiting.closed()).as("one runs, none waits: room in the line").isEmpty();
        assertThat(waiting.enter("we_busy")).as("the slot went to the waiter, not back to the pool").isEqualTo(new EndpointGates.Closed("endpoint_busy"));
        waiting.leave((EndpointGates.Pass) second.get(), false);
        assertThat(waiting.enter("we_busy")).isInstanceOf(EndpointGates.Pass.class);
    }

    @Test
    void anAttemptThatWaitsTooLongOrGivesUpLeavesTheLineWithoutTakingASlot() {
        EndpointGates waiting = new EndpointGates(new EndpointGates.Settings(1, 50, 4, 4, Duration.ofMillis(200), 2, Duration.ofMillis(100)));
        EndpointGates.Pass running = (EndpointGates.Pass) waiting.enter("we_busy");

        assertThat(waiting.enterOrWait("we_busy").block(Duration.ofSeconds(5))).isEqualTo(new EndpointGates.Closed("endpoint_busy"));
        waiting.enterOrWait("we_busy").subscribe().dispose();
        waiting.leave(running, false);

        assertThat(waiting.enter("we_busy")).as("nobody waits any more: the slot is free").isInstanceOf(EndpointGates.Pass.class);
    }

    private boolean leave(EndpointGates.Pass pass) {
        gates.leave(pass, false);
        return true;
    }
}
