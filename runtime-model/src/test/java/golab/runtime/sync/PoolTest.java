package golab.runtime.sync;

import static org.assertj.core.api.Assertions.assertThat;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** sync.Pool after Go's pool_test.go: reuse, New, the victim cache across GC cycles, and exclusive hand-out. */
@Timeout(60)
class PoolTest {

    private static void run(int procs, Runnable main) {
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(procs), main);
    }

    @Test
    void getReturnsWhatWasPutThenNew() {
        run(1, () -> {
            AtomicInteger made = new AtomicInteger();
            Pool<String> p = new Pool<>(() -> "new" + made.incrementAndGet());
            p.put("a");
            p.put("b");
            assertThat(p.get()).isEqualTo("a"); // the private slot first
            assertThat(p.get()).isEqualTo("b"); // then the shared chain's head
            assertThat(p.get()).isEqualTo("new1");
            assertThat(new Pool<String>(null).get()).isNull();
        });
    }

    @Test
    void victimCacheKeepsObjectsForOneCycleOnly() {
        run(1, () -> {
            Pool<Integer> p = new Pool<>(null);
            for (int i = 0; i < 100; i++) {
                p.put(i);
            }
            Go.gc();
            int survivors = 0;
            while (p.get() != null) {
                survivors++;
            }
            assertThat(survivors).as("after one cycle the victim cache still has them").isEqualTo(100);
            for (int i = 0; i < 100; i++) {
                p.put(i);
            }
            Go.gc();
            Go.gc();
            assertThat(p.get()).as("after two cycles they are gone").isNull();
        });
    }

    @Test
    void everyObjectIsHandedToOneGoroutineAtATime() {
        final class Buffer {
            final AtomicBoolean inUse = new AtomicBoolean();
        }
        LongAdder conflicts = new LongAdder();
        LongAdder made = new LongAdder();
        run(2, () -> {
            Pool<Buffer> p = new Pool<>(() -> {
                made.increment();
                return new Buffer();
            });
            WaitGroup wg = new WaitGroup();
            int goroutines = 8;
            wg.add(goroutines);
            for (int g = 0; g < goroutines; g++) {
                Go.go(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        Buffer b = p.get();
                        if (!b.inUse.compareAndSet(false, true)) {
                            conflicts.increment();
                        }
                        if (i % 64 == 0) {
                            Go.gosched();
                        }
                        b.inUse.set(false);
                        p.put(b);
                    }
                    wg.done();
                });
            }
            wg.await();
        });
        assertThat(conflicts.sum()).isZero();
        assertThat(made.sum()).as("objects were reused").isLessThan(1_000);
    }
}
