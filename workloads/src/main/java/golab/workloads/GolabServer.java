package golab.workloads;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One long-lived golab run per JMH trial, whose main goroutine executes work sent by the JMH thread.
 *
 * <p>Why: {@link GoRuntime#run} starts Ps, an M thread and sysmon and tears them down again; paying that
 * inside every benchmark invocation would measure thread start-up, not the operation. Here the run is
 * started once in {@code @Setup(Level.Trial)}. Its main goroutine loops: it takes the next request from a
 * Java queue inside {@link Go#syscall} (so, exactly as a Go program blocked in {@code read(2)}, its M blocks
 * and sysmon may hand the P to another M), runs the request's body <em>on the main goroutine</em>, and
 * completes a future the JMH thread waits on.
 *
 * <p>Cost left in each invocation: one queue put, one syscall exit (a CAS to get the P back), one future
 * completion and the wake-up of the JMH thread: a few tens of microseconds, the same order as the
 * virtual-thread side's "start a main virtual thread and join it". Benchmarks amortise it over thousands
 * of operations per invocation ({@code @OperationsPerInvocation}).
 */
public final class GolabServer implements AutoCloseable {

    private static final Request STOP = new Request(() -> { });

    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread runner;
    private volatile Throwable failure;

    private record Request(Runnable body, CompletableFuture<Void> done) {
        Request(Runnable body) {
            this(body, new CompletableFuture<>());
        }
    }

    /** Starts a run with {@code gomaxprocs} Ps whose main goroutine serves {@link #call}s. */
    public GolabServer(int gomaxprocs) {
        this(GoConfig.defaults().withGomaxprocs(gomaxprocs));
    }

    /**
     * Starts a run configured by {@code config} (for instance a heap reservation of its own,
     * {@link GoConfig#withArenaBytes}) whose main goroutine serves {@link #call}s.
     */
    public GolabServer(GoConfig config) {
        runner = Thread.ofPlatform().name("golab-run-p" + config.gomaxprocs()).daemon(true).start(() -> {
            try {
                GoRuntime.run(config, this::serve);
            } catch (Throwable t) {
                failure = t;
            } finally {
                Request r;
                while ((r = queue.poll()) != null) {
                    r.done.completeExceptionally(new IllegalStateException("golab run ended", failure));
                }
            }
        });
    }

    private void serve() {
        while (true) {
            Request r;
            try {
                r = Go.syscall(queue::take);
            } catch (InterruptedException e) {
                return; // teardown
            }
            if (r == STOP) {
                r.done.complete(null);
                return;
            }
            try {
                r.body.run();
                r.done.complete(null);
            } catch (Throwable t) {
                r.done.completeExceptionally(t);
            }
        }
    }

    /** Runs {@code body} on the run's main goroutine and waits for it to return. */
    public void call(Runnable body) {
        Request r = new Request(body);
        queue.add(r);
        await(r);
    }

    private void await(Request r) {
        while (true) {
            try {
                r.done.get(1, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException e) {
                if (!runner.isAlive()) {
                    throw new IllegalStateException("golab run died", failure);
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("golab main goroutine failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Ends the run (main returns) and joins its thread. */
    @Override
    public void close() {
        if (runner.isAlive()) {
            queue.add(STOP);
            try {
                runner.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            throw new IllegalStateException("golab run failed", failure);
        }
    }
}
