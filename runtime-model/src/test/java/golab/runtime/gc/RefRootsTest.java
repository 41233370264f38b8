package golab.runtime.gc;

import static org.assertj.core.api.Assertions.assertThat;

import golab.runtime.Go;
import golab.runtime.GoConfig;
import golab.runtime.GoRuntime;
import golab.runtime.chan.Chan;
import golab.runtime.heap.Heap;
import golab.runtime.heap.Ref;
import golab.runtime.heap.Type;
import golab.runtime.sched.Park;
import golab.runtime.sync.Pool;
import golab.runtime.sync.WaitGroup;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Heap objects whose only reference travels through a channel or waits in a pool ({@link Ref}s): the
 * collector must treat channel buffers, blocked senders, woken receivers and pool caches as roots. The heap
 * is in debug mode, so a freed object is poisoned and loading from it fails.
 */
@Timeout(60)
class RefRootsTest {

    static final Type BOX = Type.builder("box").pointer("next").scalar("value", 8).build();
    static final long VALUE = BOX.offset("value");

    @Test
    void objectsOnlyInChannelsSurviveConcurrentCycles() {
        AtomicLong received = new AtomicLong();
        AtomicLong cycles = new AtomicLong();
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            Park.sched().heap.debug(true);
            Chan<Ref> buffered = Chan.make(512);
            Chan<Ref> unbuffered = Chan.make();
            int count = 60_000;
            WaitGroup wg = new WaitGroup();
            wg.add(3);
            Go.go(() -> { // producer: each box lives only in a channel until received
                for (int i = 0; i < count; i++) {
                    long box = Heap.alloc(BOX);
                    Heap.storeLong(box, VALUE, i);
                    (i % 2 == 0 ? buffered : unbuffered).send(new Ref(box));
                    for (int g = 0; g < 24; g++) {
                        Heap.alloc(BOX); // garbage, to keep cycles coming
                    }
                }
                wg.done();
            });
            for (Chan<Ref> c : java.util.List.of(buffered, unbuffered)) {
                Go.go(() -> {
                    for (int i = 0; i < count / 2; i++) {
                        Ref r = c.recv();
                        long v = Heap.loadLong(r.addr(), VALUE);
                        assertThat(v % 2).isEqualTo(c == buffered ? 0 : 1);
                        received.incrementAndGet();
                        if (i % 64 == 0) {
                            Go.gosched(); // let the buffer fill, so values wait in it across cycles
                        }
                    }
                    wg.done();
                });
            }
            wg.await();
            cycles.set(Park.sched().gc.cycles());
        });
        assertThat(received.get()).isEqualTo(60_000);
        assertThat(cycles.get()).as("cycles while values were in flight").isGreaterThan(3);
    }

    @Test
    void objectsWaitingInABufferOrWithABlockedSenderSurviveForcedCycles() {
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            Park.sched().heap.debug(true);
            Chan<Ref> buffered = Chan.make(500);
            Chan<Ref> unbuffered = Chan.make();
            for (int i = 0; i < 500; i++) {
                buffered.send(new Ref(box(i)));
            }
            WaitGroup blocked = new WaitGroup();
            blocked.add(50);
            for (int i = 0; i < 50; i++) {
                long v = 1000 + i;
                Go.go(() -> {
                    unbuffered.send(new Ref(box(v))); // blocks: the box waits in this sender's sudog
                    blocked.done();
                });
            }
            while (Go.numGoroutine() < 51) {
                Go.gosched();
            }
            Go.gc();
            Go.gc();
            long sum = 0;
            for (int i = 0; i < 500; i++) {
                sum += Heap.loadLong(buffered.recv().addr(), VALUE);
            }
            for (int i = 0; i < 50; i++) {
                sum += Heap.loadLong(unbuffered.recv().addr(), VALUE);
            }
            blocked.await();
            assertThat(sum).isEqualTo(499L * 500 / 2 + 50L * 1000 + 49L * 50 / 2);
        });
    }

    /**
     * Every send here goes to a channel never used before, so it registers a new root holder, while another
     * goroutine forces cycle after cycle: some registrations land after a cycle has copied the holders and
     * before its stop-the-world, and the cycle must still scan those channels (the box in each is reachable
     * only through its channel's buffer).
     */
    @Test
    void channelsFirstUsedAsACycleStartsAreScanned() {
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(2), () -> {
            Park.sched().heap.debug(true);
            AtomicLong rounds = new AtomicLong();
            WaitGroup collector = new WaitGroup();
            collector.add(1);
            Go.go(() -> {
                while (rounds.get() >= 0) {
                    Go.gc();
                }
                collector.done();
            });
            java.util.List<Chan<Ref>> inFlight = new java.util.ArrayList<>(); // a Java list: not a root
            long deadline = System.nanoTime() + 3_000_000_000L;
            long value = 0;
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < 64; i++) {
                    Chan<Ref> c = Chan.make(1);
                    c.send(new Ref(box(value++)));
                    inFlight.add(c);
                }
                long expected = value - inFlight.size();
                for (Chan<Ref> c : inFlight) {
                    assertThat(Heap.loadLong(c.recv().addr(), VALUE)).isEqualTo(expected++);
                }
                inFlight.clear();
                rounds.incrementAndGet();
            }
            long cycles = Park.sched().gc.cycles();
            rounds.set(-1);
            collector.await();
            assertThat(cycles).as("forced cycles while channels were made").isGreaterThan(20);
        });
    }

    private static long box(long value) {
        long b = Heap.alloc(BOX);
        Heap.storeLong(b, VALUE, value);
        return b;
    }

    @Test
    void objectsOnlyInAPoolSurviveACycle() {
        GoRuntime.run(GoConfig.defaults().withGomaxprocs(1), () -> {
            Park.sched().heap.debug(true);
            Pool<Ref> pool = new Pool<>(null);
            for (int i = 0; i < 100; i++) {
                long box = Heap.alloc(BOX);
                Heap.storeLong(box, VALUE, 7);
                pool.put(new Ref(box));
            }
            Go.gc(); // primary cache -> victim: still roots
            int got = 0;
            Ref r;
            while ((r = pool.get()) != null) {
                assertThat(Heap.loadLong(r.addr(), VALUE)).isEqualTo(7);
                got++;
            }
            assertThat(got).isEqualTo(100);
        });
    }
}
