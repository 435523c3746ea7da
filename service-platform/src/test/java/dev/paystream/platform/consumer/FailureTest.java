package dev.paystream.platform.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.BadSqlGrammarException;
import org.springframework.transaction.CannotCreateTransactionException;

/** How a failure decides between parking a record, retrying a batch without bound, and retrying it a few times. */
class FailureTest {

    @ParameterizedTest
    @ValueSource(strings = {"22021", "22008", "22003", "22P02"})
    void aDataExceptionLiesInTheRecord(String sqlState) {
        Failure failure = Failure.of(translated(new R2dbcNonTransientResourceException("invalid byte sequence", sqlState)));

        assertThat(failure.kind()).isEqualTo(Failure.Kind.PERMANENT);
        assertThat(failure.code()).isEqualTo(Failure.INVALID_DATA);
        assertThat(failure.message()).isEqualTo("SQLSTATE " + sqlState + ": invalid byte sequence");
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "23514", "23503", "23502"})
    void anIntegrityViolationLiesInTheRecord(String sqlState) {
        Failure failure = Failure.of(new DataIntegrityViolationException("violated",
                new R2dbcDataIntegrityViolationException("violates check constraint", sqlState)));

        assertThat(failure.kind()).isEqualTo(Failure.Kind.PERMANENT);
        assertThat(failure.code()).isEqualTo(Failure.CONSTRAINT_VIOLATION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"08006", "40001", "40P01", "53300", "57P01", "57014", "58030", "42P01", "42501", "28P01", "3D000", "55P03"})
    void whatNoRecordCausesIsRetriedWithoutBound(String sqlState) {
        Failure failure = Failure.of(translated(new R2dbcBadGrammarException("the database says no", sqlState)));

        assertThat(failure.kind()).isEqualTo(Failure.Kind.TRANSIENT);
    }

    @Test
    void theSqlStateDecidesWhateverTypeTheDriverGaveTheException() {
        // r2dbc-postgresql reports some data exceptions as "non-transient resource" failures.
        assertThat(Failure.of(new R2dbcNonTransientResourceException("invalid input", "22P05")).kind())
                .isEqualTo(Failure.Kind.PERMANENT);
        assertThat(Failure.of(new R2dbcDataIntegrityViolationException("terminating connection", "57P01")).kind())
                .isEqualTo(Failure.Kind.TRANSIENT);
    }

    @Test
    void aDatabaseThatNeverAnsweredIsTransient() {
        assertThat(Failure.of(new CannotCreateTransactionException("no connection", new ConnectException("refused"))).kind())
                .isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(Failure.of(new DataAccessResourceFailureException("closed", new R2dbcNonTransientResourceException("closed"))).kind())
                .isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(Failure.of(new R2dbcTransientResourceException("pool exhausted")).kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(Failure.of(new IllegalStateException("Timeout on blocking read", new TimeoutException())).kind())
                .isEqualTo(Failure.Kind.TRANSIENT);
    }

    @Test
    void anythingElseIsOfUnknownKindUntilItHasFailedOftenEnough() {
        Failure raised = Failure.of(translated(new R2dbcBadGrammarException("simulated outage", "P0001")));
        Failure bug = Failure.of(new NullPointerException("data is null"));

        assertThat(raised.kind()).isEqualTo(Failure.Kind.UNKNOWN);
        assertThat(bug.kind()).isEqualTo(Failure.Kind.UNKNOWN);
        assertThat(bug.message()).isEqualTo("NullPointerException: data is null");
        assertThat(bug.repeated()).isEqualTo(new Failure(Failure.Kind.PERMANENT, Failure.REPEATED_FAILURE, "NullPointerException: data is null"));
    }

    @Test
    void aMessageIsOneBoundedLineWithoutControlCharacters() {
        Failure failure = Failure.refused("line one\nline\u0000two " + "x".repeat(2000));

        assertThat(failure.message()).startsWith("line one line?two x").hasSize(Failure.MESSAGE_LENGTH_MAX + 3).doesNotContain("\n", "\u0000");
    }

    /** As Spring's DatabaseClient hands a driver's exception on. */
    private static RuntimeException translated(R2dbcException cause) {
        return new BadSqlGrammarException("statement", "SELECT 1", cause);
    }
}
