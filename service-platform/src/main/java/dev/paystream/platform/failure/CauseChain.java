package dev.paystream.platform.failure;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * A failure and its causes, walked once, the same way everywhere: what a request's problem, a
 * consumer's retry decision and a store's mapping of a refused write each look for is usually
 * wrapped by R2DBC, Spring and Reactor, several causes deep. A cause that is its own cause ends the
 * walk.
 */
public final class CauseChain {

    private CauseChain() {
    }

    /** The first failure in the chain of {@code failure} (itself included) that is a {@code type}. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        return first(failure, type::isInstance).map(type::cast);
    }

    /** The first failure in the chain of {@code failure} (itself included) that {@code matches}. */
    public static Optional<Throwable> first(Throwable failure, Predicate<Throwable> matches) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (matches.test(cause)) {
                return Optional.of(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }
}
