package golab.workloads.chan;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The virtual-thread side's {@code go} statement plus {@code sync.WaitGroup}: starts virtual threads and
 * waits for all of them, failing the benchmark if any of them threw.
 *
 * <p>Why not plain {@code Thread.ofVirtual().start} and {@code join}: an exception in a virtual thread only
 * reaches the default uncaught-exception handler (a printed stack), so a broken baseline would look like a
 * fast one. On the golab side the same failure ends the run with a {@code GoPanic}, which
 * {@link golab.workloads.sched.GolabServer} rethrows on the JMH thread. Use it from a main virtual thread
 * ({@link golab.workloads.sched.VirtualThreads#runInVirtualThread}); it is not thread-safe.
 */
final class VirtualTasks {

    /** A task body that may block and be interrupted, as {@code BlockingQueue.put/take} do. */
    interface Body {
        void run() throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Starts {@code body} on a new virtual thread. */
    void go(Body body) {
        threads.add(Thread.ofVirtual().start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }));
    }

    /** Waits for every started thread, then rethrows the first failure. */
    void await() {
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("a virtual thread failed", t);
        }
    }
}
