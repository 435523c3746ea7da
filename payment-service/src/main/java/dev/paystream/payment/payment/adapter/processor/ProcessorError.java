package dev.paystream.payment.payment.adapter.processor;

/** The processor answered with an error rather than a decision; worth retrying. */
public final class ProcessorError extends RuntimeException {

    public ProcessorError(String code) {
        super(code, null, false, false);
    }
}
