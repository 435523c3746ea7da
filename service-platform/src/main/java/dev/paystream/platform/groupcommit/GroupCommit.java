package dev.paystream.platform.groupcommit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Turns many small writes of one kind into few statements. Each caller submits its item and gets its
 * own result; the items submitted while a statement of this kind is in flight queue up and go
 * together, as one statement, as soon as it returns. An item that finds nothing in flight goes at
 * once, alone: nothing waits on a timer, and under load each statement (and each commit) carries
 * the items of many concurrent requests.
 *
 * <p>The statement receives the items in submission order and must emit one result per item, in the
 * same order; if it fails, every item of that batch fails with its error.
 *
 * @param <I> an item to write
 * @param <O> the result of one item
 */
public final class GroupCommit<I, O> {

    private final Function<List<I>, Mono<List<O>>> statement;
    private final int batchSizeMax;
    private final int inFlightMax;
    private final Queue<Pending<I, O>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger drainRequests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param statement    writes a batch and emits the result of each item, in order
     * @param batchSizeMax the most items in one statement
     * @param inFlightMax  how many statements of this kind may run at the same time
     */
    public GroupCommit(Function<List<I>, Mono<List<O>>> statement, int batchSizeMax, int inFlightMax) {
        if (batchSizeMax < 1 || inFlightMax < 1) {
            throw new IllegalArgumentException("batchSizeMax and inFlightMax must be at least 1");
        }
        this.statement = Objects.requireNonNull(statement, "statement");
        this.batchSizeMax = batchSizeMax;
        this.inFlightMax = inFlightMax;
    }

    /** Writes {@code item} with the next statement; emits its result once that statement completed. */
    public Mono<O> submit(I item) {
        Objects.requireNonNull(item, "item");
        return Mono.create(sink -> {
            queue.add(new Pending<>(item, sink));
            drain();
        });
    }

    /** Starts statements while there are queued items and room in flight; one thread at a time does it. */
    private void drain() {
        if (drainRequests.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            while (inFlight.get() < inFlightMax && !queue.isEmpty()) {
                List<Pending<I, O>> batch = new ArrayList<>(Math.min(batchSizeMax, 64));
                Pending<I, O> next;
                while (batch.size() < batchSizeMax && (next = queue.poll()) != null) {
                    batch.add(next);
                }
                if (batch.isEmpty()) {
                    break;
                }
                inFlight.incrementAndGet();
                run(batch);
            }
            missed = drainRequests.addAndGet(-missed);
        } while (missed != 0);
    }

    private void run(List<Pending<I, O>> batch) {
        List<I> items = new ArrayList<>(batch.size());
        for (Pending<I, O> pending : batch) {
            items.add(pending.item());
        }
        Mono<List<O>> results;
        try {
            results = Objects.requireNonNull(statement.apply(items), "the statement returned no Mono");
        } catch (RuntimeException failure) {
            results = Mono.error(failure);
        }
        results.switchIfEmpty(Mono.error(() -> new IllegalStateException("the statement emitted no results")))
                .subscribe(
                        outputs -> {
                            // The next batch starts before this one's callers continue on this thread.
                            finished();
                            deliver(batch, outputs);
                        },
                        failure -> {
                            finished();
                            for (Pending<I, O> pending : batch) {
                                pending.sink().error(failure);
                            }
                        });
    }

    private void deliver(List<Pending<I, O>> batch, List<O> outputs) {
        if (outputs.size() != batch.size()) {
            IllegalStateException wrong = new IllegalStateException(
                    "the statement emitted " + outputs.size() + " results for " + batch.size() + " items");
            batch.forEach(pending -> pending.sink().error(wrong));
            return;
        }
        for (int index = 0; index < batch.size(); index++) {
            batch.get(index).sink().success(outputs.get(index));
        }
    }

    private void finished() {
        inFlight.decrementAndGet();
        drain();
    }

    private record Pending<I, O>(I item, MonoSink<O> sink) {
    }
}
