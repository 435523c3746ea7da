package dev.paystream.platform.consumer;

import dev.paystream.platform.failure.CauseChain;
import io.r2dbc.spi.R2dbcException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Why records could not be applied, and what the consumer therefore does with them.
 *
 * <ul>
 *   <li>{@link Kind#PERMANENT}: the fault is in a record and every attempt will fail the same way — an
 *       unreadable envelope, a handler's {@link Refusal}, PostgreSQL's data exceptions (SQLSTATE class
 *       22: a NUL in text, a timestamp out of range, a number too large) and integrity violations (class
 *       23: a check, a foreign key). The batch is split to find the record; it is parked at once.</li>
 *   <li>{@link Kind#TRANSIENT}: the fault is around the records — no database connection, a timeout, a
 *       serialization failure or deadlock (40), too many connections or a full disk (53), a server
 *       shutting down (57), an I/O error (58), and also a schema or privilege missing after a bad
 *       deployment (42, 28, 3D, 3F), which no record causes and no parking would cure. The whole batch is
 *       retried with back-off, without bound; nothing is parked, nothing skipped.</li>
 *   <li>{@link Kind#UNKNOWN}: anything else (a bug, an exception raised by a trigger). The batch is
 *       retried a bounded number of times, then treated as permanent.</li>
 * </ul>
 *
 * @param code    a stable, low-cardinality name, stored with a parked event and used as a metric tag
 * @param message one line for operators; the database's own words where there are some
 */
public record Failure(Kind kind, String code, String message) {

    public enum Kind { PERMANENT, TRANSIENT, UNKNOWN }

    public static final String UNREADABLE = "unreadable";
    public static final String REFUSED = "refused";
    public static final String INVALID_DATA = "invalid_data";
    public static final String CONSTRAINT_VIOLATION = "constraint_violation";
    public static final String REPEATED_FAILURE = "repeated_failure";
    static final String UNAVAILABLE = "unavailable";
    static final String UNKNOWN_FAILURE = "unknown";

    /** The longest message kept; a database's message is a line, a stack of causes is not wanted. */
    static final int MESSAGE_LENGTH_MAX = 1000;

    /** SQLSTATE classes (first two characters) that no record causes. */
    private static final Set<String> ENVIRONMENT_SQL_CLASSES = Set.of("08", "28", "3D", "3F", "40", "42", "53", "55", "57", "58");
    /** Failures, without a SQLSTATE, that say the database could not be reached or did not answer in time. */
    private static final List<Class<? extends Throwable>> UNREACHABLE = List.of(
            CannotCreateTransactionException.class, DataAccessResourceFailureException.class,
            TransientDataAccessResourceException.class, QueryTimeoutException.class, R2dbcException.class,
            TimeoutException.class, IOException.class);

    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(code, "code");
        message = oneLine(message);
    }

    public static Failure unreadable(String why) {
        return new Failure(Kind.PERMANENT, UNREADABLE, why);
    }

    public static Failure refused(String reason) {
        return new Failure(Kind.PERMANENT, REFUSED, reason);
    }

    /** Classifies what a handler's {@code Mono} failed with, by the first cause that tells. */
    public static Failure of(Throwable failure) {
        R2dbcException database = causedBy(failure, R2dbcException.class);
        if (database != null && database.getSqlState() != null && database.getSqlState().length() == 5) {
            String state = database.getSqlState();
            String message = "SQLSTATE " + state + ": " + database.getMessage();
            String sqlClass = state.substring(0, 2);
            if (sqlClass.equals("22")) {
                return new Failure(Kind.PERMANENT, INVALID_DATA, message);
            }
            if (sqlClass.equals("23")) {
                return new Failure(Kind.PERMANENT, CONSTRAINT_VIOLATION, message);
            }
            if (ENVIRONMENT_SQL_CLASSES.contains(sqlClass)) {
                return new Failure(Kind.TRANSIENT, UNAVAILABLE, message);
            }
            return new Failure(Kind.UNKNOWN, UNKNOWN_FAILURE, message);
        }
        // Without a SQLSTATE the database never answered: the driver, the pool or a timer gave up.
        for (Class<? extends Throwable> type : UNREACHABLE) {
            Throwable cause = causedBy(failure, type);
            if (cause != null) {
                return new Failure(Kind.TRANSIENT, UNAVAILABLE, describe(cause));
            }
        }
        return new Failure(Kind.UNKNOWN, UNKNOWN_FAILURE, describe(mostSpecific(failure)));
    }

    /** This failure once its batch failed as often as an unknown failure may: from now on it is the record's. */
    public Failure repeated() {
        return new Failure(Kind.PERMANENT, REPEATED_FAILURE, message);
    }

    public boolean isPermanent() {
        return kind == Kind.PERMANENT;
    }

    private static String describe(Throwable cause) {
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static Throwable mostSpecific(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static <T extends Throwable> T causedBy(Throwable failure, Class<T> type) {
        return CauseChain.find(failure, type).orElse(null);
    }

    /**
     * A message as it may be stored, logged and shown: one line, bounded, without NUL (which PostgreSQL
     * text refuses) or any other control character.
     */
    static String oneLine(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String line = message.replaceAll("\\s+", " ").replaceAll("\\p{Cntrl}", "?").strip();
        return line.length() > MESSAGE_LENGTH_MAX ? line.substring(0, MESSAGE_LENGTH_MAX) + "..." : line;
    }
}
