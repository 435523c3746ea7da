package dev.paystream.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.platform.store.IdempotencyClaimLost;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.netty.channel.AbortedException;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.CannotCreateTransactionException;

class ProblemJsonExceptionHandlerTest {

    @Test
    void aDatabaseThatCannotBeReachedIsA503WithRetryAfterNotA500() {
        // What the transaction manager raised while PostgreSQL restarted under load.
        Problem noConnection = ProblemJsonExceptionHandler.toProblem(new CannotCreateTransactionException(
                "Could not open R2DBC Connection for transaction", new R2dbcNonTransientResourceException("Connection refused")));
        // What a statement raised when its connection broke.
        Problem brokenConnection = ProblemJsonExceptionHandler.toProblem(
                new DataAccessResourceFailureException("Failed to obtain R2DBC Connection"));

        for (Problem problem : new Problem[] {noConnection, brokenConnection}) {
            assertThat(problem.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(problem.code()).isEqualTo("database_unavailable");
            assertThat(problem.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        }
    }

    /** Issue 10, finding 8: PostgreSQL refusing a value (SQLSTATE class 22) is the request's fault. */
    @Test
    void aValueThePostgresqlRefusesIsA422ThatQuotesNothingOfIt() {
        Problem problem = ProblemJsonExceptionHandler.toProblem(new DataIntegrityViolationException("executeMany",
                new R2dbcDataIntegrityViolationException("invalid byte sequence for encoding \"UTF8\": 0x00 in 'secret'", "22021")));

        assertThat(problem.status()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        assertThat(problem.code()).isEqualTo("invalid_value");
        assertThat(problem.detail()).doesNotContain("secret");
    }

    /**
     * Found when the gateway's key-store outage test answered 201 with an empty body: a database
     * connection that breaks also says "Connection reset by peer", and taking that for a client that
     * went away left the controller's 201 standing.
     */
    @Test
    void aBrokenDatabaseConnectionIsA503EvenWhenItSaysConnectionResetButAClientThatWentAwayGetsNoAnswer() {
        ProblemJsonExceptionHandler handler = new ProblemJsonExceptionHandler(JsonMapper.builder().build());
        MockServerWebExchange databaseBroke = MockServerWebExchange.from(MockServerHttpRequest.post("/v1/merchants"));
        databaseBroke.getResponse().setStatusCode(HttpStatus.CREATED);
        handler.handle(databaseBroke, new DataAccessResourceFailureException("Failed to obtain R2DBC Connection",
                new R2dbcNonTransientResourceException("Connection reset by peer"))).block();
        assertThat(databaseBroke.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

        MockServerWebExchange clientLeft = MockServerWebExchange.from(MockServerHttpRequest.post("/v1/payments"));
        handler.handle(clientLeft, new AbortedException("Connection has been closed BEFORE send operation")).block();
        assertThat(clientLeft.getResponse().getStatusCode()).isNull();
        assertThat(clientLeft.getResponse().isCommitted()).as("nothing written to a client that is gone").isFalse();
    }

    /** Found by HostileInputEndToEndTest: "No payment 4242424242424242" for a card number sent as a path id. */
    @Test
    void aCardNumberQuotedInAProblemIsNeverWritten() {
        Problem problem = Problem.of(HttpStatus.NOT_FOUND, "resource_missing", "No payment pay_4242424242424242 or 5555 5555 5555 4444")
                .withExtension("payment_id", "4000000000000002");

        var body = ProblemJsonExceptionHandler.body(problem, "req_1");

        assertThat(body.get("detail")).isEqualTo("No payment pay_[card number] or [card number]");
        assertThat(body.get("payment_id")).isEqualTo("[card number]");
        assertThat(ProblemJsonExceptionHandler.body(Problem.of(HttpStatus.NOT_FOUND, "resource_missing", "No payment pay_123"), null)
                .get("detail")).isEqualTo("No payment pay_123");
    }

    /** Found by the fuzzing on the merged build: {"4242424242424242":"value"} came back as the unknown parameter's param. */
    @Test
    void aCardNumberSentAsAMembersNameIsNeverWrittenAsTheParamOrTheCode() {
        var unknown = ProblemJsonExceptionHandler.body(new Problem(HttpStatus.UNPROCESSABLE_CONTENT, "unknown_parameter",
                "Unknown parameter '4242424242424242'", "4242424242424242", java.util.Map.of(), null), "req_1");
        var invalid = ProblemJsonExceptionHandler.body(Problem.invalidField("5555555555554444", "it is wrong"), "req_1");

        assertThat(unknown.get("param")).isEqualTo("[card number]");
        assertThat(unknown.toString()).doesNotContain("4242424242424242");
        assertThat(invalid.get("param")).isEqualTo("[card number]");
        assertThat(invalid.toString()).doesNotContain("5555555555554444");
    }

    /** Found in review: a request whose key was taken over wrote nothing; it must not look like a server failure. */
    @Test
    void aRequestWhoseKeyWasTakenOverIsA409InProgressThatAsksForARetry() {
        Problem problem = ProblemJsonExceptionHandler.toProblem(new IdempotencyClaimLost(null));

        assertThat(problem.status()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(problem.code()).isEqualTo("idempotency_request_in_progress");
        assertThat(problem.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void otherDatabaseFailuresRemainInternalErrors() {
        Problem problem = ProblemJsonExceptionHandler.toProblem(new DataIntegrityViolationException("duplicate key"));
        assertThat(problem.status()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(problem.code()).isEqualTo("internal_error");
    }
}
