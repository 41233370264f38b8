package golab.runtime.sync;

/**
 * Go's {@code sync.Once}: runs a function once; every caller returns only after that run has finished
 * (so they see its effects). The fast path is one volatile read; the slow path serialises on a
 * {@link Mutex}, which parks goroutines rather than blocking Ms.
 */
public final class Once {

    private volatile boolean done;
    private final Mutex m = new Mutex();

    /** Runs {@code f} if no call of this Once has run it yet. If {@code f} throws, it counts as run. */
    public void run(Runnable f) {
        if (!done) {
            runSlow(f);
        }
    }

    private void runSlow(Runnable f) {
        m.lock();
        try {
            if (!done) {
                try {
                    f.run();
                } finally {
                    done = true;
                }
            }
        } finally {
            m.unlock();
        }
    }
}
