package dev.paystream.platform.store;

/** Another writer appended to the same aggregate first: decide again on the fresh state. */
public final class ConcurrentAppend extends RuntimeException {

    public ConcurrentAppend(Throwable cause) {
        super("another writer appended to the aggregate first", cause);
    }
}
