package golab.runtime.gc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A P's grey-object queue enlists a worker exactly when it publishes a buffer, as mgcwork.go's put and balance. */
class GcWorkTest {

    private final WorkLists lists = new WorkLists();
    private final AtomicInteger enlisted = new AtomicInteger();
    private final GcWork work = new GcWork(lists, new AtomicLong(), enlisted::incrementAndGet);

    @Test
    void putEnlistsWhenBothBuffersAreFullAndOneGoesToTheSharedList() {
        for (int i = 1; i <= 2 * Workbuf.OBJS; i++) {
            work.put(8L * i);
        }
        assertThat(lists.hasFull()).as("two full buffers stay private").isFalse();
        assertThat(enlisted).hasValue(0);
        work.put(8L * (2 * Workbuf.OBJS + 1));
        assertThat(lists.hasFull()).isTrue();
        assertThat(enlisted).hasValue(1);
    }

    @Test
    void balanceEnlistsOnlyWhenItPublishes() {
        for (int i = 1; i <= 4; i++) {
            work.put(8L * i);
        }
        work.balance();
        assertThat(lists.hasFull()).as("four objects are not worth sharing").isFalse();
        assertThat(enlisted).hasValue(0);
        work.put(40);
        work.balance();
        assertThat(lists.hasFull()).isTrue();
        assertThat(enlisted).hasValue(1);
    }
}
