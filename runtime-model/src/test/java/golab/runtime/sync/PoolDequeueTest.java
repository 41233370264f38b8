package golab.runtime.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * poolDequeue and poolChain after Go's TestPoolDequeue/TestPoolChain: one producer pushes and sometimes
 * pops at the head while consumers pop at the tail; every value must come out exactly once.
 */
@Timeout(60)
class PoolDequeueTest {

    @Test
    void dequeueIsLifoAtTheHeadAndFifoAtTheTail() {
        PoolDequeue d = new PoolDequeue(4);
        for (int i = 0; i < 4; i++) {
            assertThat(d.pushHead(i)).isTrue();
        }
        assertThat(d.pushHead(4)).as("full").isFalse();
        assertThat(d.popTail()).isEqualTo(0);
        assertThat(d.popHead()).isEqualTo(3);
        assertThat(d.popTail()).isEqualTo(1);
        assertThat(d.popHead()).isEqualTo(2);
        assertThat(d.popHead()).isNull();
        assertThat(d.popTail()).isNull();
    }

    @Test
    void chainGrowsAndStaysOrdered() {
        PoolChain c = new PoolChain();
        for (int i = 0; i < 1_000; i++) {
            c.pushHead(i);
        }
        for (int i = 0; i < 500; i++) {
            assertThat(c.popTail()).isEqualTo(i);
        }
        for (int i = 999; i >= 500; i--) {
            assertThat(c.popHead()).isEqualTo(i);
        }
        assertThat(c.popTail()).isNull();
    }

    @Test
    void concurrentConsumersSeeEveryValueOnce() throws InterruptedException {
        int n = 400_000;
        int consumers = 3;
        PoolChain chain = new PoolChain();
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        List<Integer> duplicates = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean producing = new AtomicBoolean(true);
        CountDownLatch done = new CountDownLatch(consumers);
        for (int t = 0; t < consumers; t++) {
            Thread.ofPlatform().start(() -> {
                while (true) {
                    boolean stillProducing = producing.get();
                    Object v = chain.popTail();
                    if (v == null) {
                        if (!stillProducing) {
                            break;
                        }
                        Thread.onSpinWait();
                        continue;
                    }
                    if (!seen.add((Integer) v)) {
                        duplicates.add((Integer) v);
                    }
                }
                done.countDown();
            });
        }
        for (int i = 0; i < n; i++) {
            chain.pushHead(i);
            if (i % 10 == 0) {
                Object v = chain.popHead();
                if (v != null && !seen.add((Integer) v)) {
                    duplicates.add((Integer) v);
                }
            }
        }
        producing.set(false);
        done.await();
        assertThat(duplicates).isEmpty();
        Set<Integer> expected = new HashSet<>();
        for (int i = 0; i < n; i++) {
            expected.add(i);
        }
        assertThat(seen).hasSize(n).isEqualTo(expected);
    }
}
