package golab.workloads;

import java.lang.management.ManagementFactory;
import jdk.management.VirtualThreadSchedulerMXBean;

/**
 * Gives the default virtual-thread scheduler a given parallelism, the JVM's analogue of GOMAXPROCS.
 *
 * <p>The classic knob, {@code -Djdk.virtualThreadScheduler.parallelism=N}, is read once at JVM start, and a
 * {@code @Param} cannot put a value into a fork's command line. JMH does fork a fresh JVM for every
 * (benchmark, parameter set) trial, though, and JDK 24+ has a supported way to set the parallelism of the
 * running scheduler: {@link VirtualThreadSchedulerMXBean#setParallelism}. Benchmarks call
 * {@link #setParallelism} in {@code @Setup(Level.Trial)}, before any virtual thread exists in the fork, and
 * it checks the scheduler took the value. The virtual threads are therefore the real default scheduler
 * (a ForkJoinPool in FIFO mode), not a custom pool standing in for it.
 *
 * <p>As with GOMAXPROCS, parallelism limits the carriers <em>running</em> virtual threads; the pool may add
 * carriers to compensate for pinned or blocked ones (as golab adds Ms for syscalls). None of these
 * benchmarks pin or block.
 */
public final class VirtualThreads {

    private VirtualThreads() {
    }

    /** Sets the default scheduler's parallelism to {@code n} and checks it. */
    public static void setParallelism(int n) {
        VirtualThreadSchedulerMXBean bean = ManagementFactory.getPlatformMXBean(VirtualThreadSchedulerMXBean.class);
        bean.setParallelism(n);
        if (bean.getParallelism() != n) {
            throw new IllegalStateException("virtual thread scheduler parallelism is " + bean.getParallelism()
                    + ", wanted " + n);
        }
    }

    /** Runs {@code body} on a fresh virtual thread and waits for it: a "main" inside the scheduler. */
    public static void runInVirtualThread(Runnable body) {
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure[0] != null) {
            throw new IllegalStateException("virtual main failed", failure[0]);
        }
    }
}
