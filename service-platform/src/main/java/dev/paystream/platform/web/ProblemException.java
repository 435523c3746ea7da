package dev.paystream.platform.web;

/**
 * Carries a {@link Problem} out of a web adapter to {@link ProblemJsonExceptionHandler}. Domain code
 * never throws it: the domain returns named rejections and the adapter turns them into problems.
 */
public final class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.code() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
