package golab.workloads.chan;

import golab.runtime.Go;
import golab.runtime.chan.Chan;
import golab.runtime.sync.Mutex;
import golab.runtime.sync.WaitGroup;

/**
 * A shared counter that goroutines add ones to, guarded either by a {@link Mutex} or by an owner goroutine the
 * others send to ("share memory by communicating"): the golab side of the "channel or mutex?" experiments,
 * {@link CounterBench} and the lab's {@code MutexVsChannel}. Call on a goroutine; each method returns the final
 * count, which must be {@code increments}.
 */
public final class GuardedCounter {

    /** What a worker sends to the owner: "add one". A cached Integer, so nobody allocates. */
    private static final Integer ONE = 1;

    private GuardedCounter() {
    }

    /**
     * {@code workers} goroutines each add {@code increments / workers} ones under one {@link Mutex}, polling a
     * safepoint after each where Go 1.14+ could preempt the loop (so with one P the workers do take turns).
     */
    public static long underMutex(int workers, int increments) {
        Mutex mu = new Mutex();
        long[] counter = {0}; // guarded by mu
        WaitGroup wg = new WaitGroup();
        wg.add(workers);
        for (int w = 0; w < workers; w++) {
            Go.go(() -> {
                for (int i = 0; i < increments / workers; i++) {
                    mu.lock();
                    counter[0]++;
                    mu.unlock();
                    Go.checkpoint();
                }
                wg.done();
            });
        }
        wg.await();
        mu.lock();
        try {
            return counter[0];
        } finally {
            mu.unlock();
        }
    }

    /**
     * {@code workers} goroutines each send {@code increments / workers} ones on a channel of {@code capacity}
     * slots to an owner goroutine, the only one that touches the count.
     */
    public static long throughOwner(int workers, int increments, int capacity) {
        Chan<Integer> sends = Chan.make(capacity);
        Chan<Long> total = Chan.make(1);
        Go.go(() -> {
            long owned = 0;
            for (int i = 0; i < increments / workers * workers; i++) {
                owned += sends.recv();
            }
            total.send(owned);
        });
        for (int w = 0; w < workers; w++) {
            Go.go(() -> {
                for (int i = 0; i < increments / workers; i++) {
                    sends.send(ONE);
                }
            });
        }
        return total.recv();
    }
}
