package dev.paystream.payment.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.paystream.payment.support.PaymentServiceTest;
import dev.paystream.platform.consumer.ConsumerLag;
import dev.paystream.platform.web.ProblemException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * docs/adr/0005: a customer this service cannot find is "unknown" (422) only once its projection was
 * seen caught up. When that cannot be seen before the longest wait (the broker restarting), the
 * absence is not known, and the client is asked to retry (503 with Retry-After) — the chaos suite saw
 * payments naming a customer created a moment before refused with 422 during a Kafka restart.
 */
class UnconfirmedReferencesIntegrationTest extends PaymentServiceTest {

    @Autowired
    DatabaseClient databaseClient;

    @Test
    void aCustomerNotFoundWhileTheBrokerCannotBeAskedIsA503WithRetryAfterNotA422() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (ConsumerLag unreachable = new ConsumerLag(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closedPort,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 300,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 600))) {
            R2dbcPaymentReferences references = new R2dbcPaymentReferences(databaseClient, unreachable, "payment-service",
                    List.of("paystream.customers.v1", "paystream.invoices.v1"),
                    new R2dbcPaymentReferences.Waiting(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMillis(500)));

            Throwable answer = catchThrowable(() -> references.customerExists(newMerchantId(), "cus_maybe").block(Duration.ofSeconds(30)));

            assertThat(answer).isInstanceOf(ProblemException.class);
            ProblemException problem = (ProblemException) answer;
            assertThat(problem.problem().status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(problem.problem().code()).isEqualTo("references_unavailable");
            assertThat(problem.problem().retryAfter()).isEqualTo(R2dbcPaymentReferences.RETRY_AFTER);
        }
    }
}
