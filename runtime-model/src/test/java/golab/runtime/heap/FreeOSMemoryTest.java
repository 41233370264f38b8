package golab.runtime.heap;

import static org.assertj.core.api.Assertions.assertThat;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import golab.runtime.chan.Chan;
import golab.runtime.metrics.MetricValue;
import golab.runtime.sync.WaitGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RSS follows the model heap down: goroutines grow 4 MiB stacks, touching their pages, and exit, which
 * frees those stacks to the page allocator; {@code Go.freeOSMemory()} then hands the free pages back to
 * the OS (madvise), and the process's resident memory drops by about as much.
 */
@Timeout(60)
class FreeOSMemoryTest {

    private static final long MIB = 1 << 20;

    @Test
    void freedStackPagesLeaveTheProcess() {
        AtomicLong released = new AtomicLong();
        AtomicLong rssDrop = new AtomicLong();
        AtomicLong releasedMetric = new AtomicLong();
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            int goroutines = 8;
            WaitGroup grown = new WaitGroup();
            WaitGroup exited = new WaitGroup();
            Chan<Boolean> release = Chan.make();
            grown.add(goroutines);
            exited.add(goroutines);
            for (int g = 0; g < goroutines; g++) {
                Go.go(() -> {
                    try (Frame big = Frames.push((int) (3 * MIB / 8))) {
                        for (long off = 0; off < 3 * MIB; off += 4096) {
                            big.putByte(off, (byte) 1); // touch every page
                        }
                        grown.done();
                        release.recv(); // hold the stack until every goroutine has grown its own
                    }
                    exited.done();
                });
            }
            grown.await();
            release.close();
            exited.await();
            Go.sleep(java.time.Duration.ofMillis(20)); // let the dead goroutines' Ms free their stacks
            long before = rss();
            released.set(Go.freeOSMemory());
            rssDrop.set(before - rss());
            releasedMetric.set(((MetricValue.Uint64) Go.metrics().read("/memory/classes/heap/released:bytes")).value());
        });
        assertThat(released.get()).as("bytes released").isGreaterThanOrEqualTo(8 * 3 * MIB);
        assertThat(rssDrop.get()).as("RSS drop").isGreaterThan(16 * MIB);
        assertThat(releasedMetric.get()).isGreaterThanOrEqualTo(released.get());
    }

    private static long rss() {
        try {
            return ArenaTest.rss();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
