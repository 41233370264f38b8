package golab.runtime.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Span}'s free-slot search, Go's semantics: with allocBits as a sweep left them (random density),
 * alternating nextFreeFast and nextFreeIndex from any freeindex must hand out exactly the clear bits at
 * or above it, in ascending order, then report the span full; allocBits themselves are never written.
 */
class SpanTest {

    private static final long BASE = 1L << 32;

    @ParameterizedTest(name = "size class {0}")
    @ValueSource(ints = {1, 2, 3, 5, 10, 20, 32, 51, 67})
    void handsOutExactlyTheFreeSlotsInOrder(int sizeclass) {
        Random rnd = new Random(sizeclass);
        int nelems = SizeClasses.classToObjects(sizeclass);
        for (int round = 0; round < 200; round++) {
            Span s = new Span(BASE, SizeClasses.classToAllocNPages(sizeclass), SpanClass.make(sizeclass, false),
                    SizeClasses.classToSize(sizeclass), nelems);
            double density = rnd.nextDouble();
            List<Integer> expected = new ArrayList<>();
            int start = rnd.nextBoolean() ? 0 : rnd.nextInt(nelems);
            int preallocated = 0;
            for (int i = 0; i < nelems; i++) {
                if (rnd.nextDouble() < density) {
                    s.allocBits[i >>> 6] |= 1L << i;
                    if (i >= start) {
                        preallocated++;
                    }
                } else if (i >= start) {
                    expected.add(i);
                }
            }
            long[] bitsBefore = s.allocBits.clone();
            s.freeindex = start;
            s.allocCount = start + preallocated; // everything below freeindex counts as allocated
            s.initAllocCache();
            for (int i = 0; i < nelems; i++) {
                assertThat(s.isFree(i)).isEqualTo(expected.contains(i));
            }
            List<Integer> got = new ArrayList<>();
            while (true) {
                long addr = rnd.nextBoolean() ? s.nextFreeFast() : 0;
                if (addr == 0) {
                    int idx = s.nextFreeIndex();
                    if (idx == nelems) {
                        break;
                    }
                    s.allocCount++;
                    addr = BASE + idx * s.elemsize;
                }
                assertThat(addr).isLessThan(s.limit());
                got.add(s.objIndex(addr));
            }
            assertThat(got).as("class %d round %d", sizeclass, round).isEqualTo(expected);
            assertThat(s.allocCount).isEqualTo(nelems);
            assertThat(s.freeindex).isEqualTo(nelems);
            assertThat(s.nextFreeFast()).isZero();
            assertThat(s.allocBits).isEqualTo(bitsBefore);
        }
    }

    @ParameterizedTest(name = "size class {0}")
    @ValueSource(ints = {1, 2, 5, 67})
    void aFreshSpanIsFilledByTheFastPathExceptAtWordBoundaries(int sizeclass) {
        int nelems = SizeClasses.classToObjects(sizeclass);
        Span s = new Span(BASE, SizeClasses.classToAllocNPages(sizeclass), SpanClass.make(sizeclass, true),
                SizeClasses.classToSize(sizeclass), nelems);
        int slow = 0;
        for (int i = 0; i < nelems; i++) {
            long addr = s.nextFreeFast();
            if (addr == 0) {
                slow++;
                int idx = s.nextFreeIndex();
                s.allocCount++;
                addr = BASE + idx * s.elemsize;
            }
            assertThat(addr).isEqualTo(BASE + i * s.elemsize);
        }
        // Go's nextFreeFast declines the slot that would end a 64-slot word unless it is the last slot.
        assertThat(slow).isEqualTo((nelems - 1) / 64);
        assertThat(s.nextFreeIndex()).isEqualTo(nelems);
        assertThat(Span.EMPTY.nextFreeFast()).isZero();
        assertThat(Span.EMPTY.nextFreeIndex()).isZero();
    }

    @ParameterizedTest(name = "size class {0}")
    @ValueSource(ints = {1, 5, 67})
    void sweepsRotateThreeBitmapsAndClearTheOneReused(int sizeclass) {
        int nelems = SizeClasses.classToObjects(sizeclass);
        Span s = new Span(BASE, SizeClasses.classToAllocNPages(sizeclass), SpanClass.make(sizeclass, false),
                SizeClasses.classToSize(sizeclass), nelems);
        long[] first = s.allocBits;
        long[] marks = s.gcmarkBits;
        marks[0] = 0b1011;
        s.installSweptBits();
        // The first sweep has nothing retired yet: the mark bits become the allocation bits, fresh ones are made.
        assertThat(s.allocBits).isSameAs(marks);
        assertThat(s.gcmarkBits).isNotSameAs(first).containsOnly(0L);
        assertThat(s.isFree(0)).isFalse();
        assertThat(s.isFree(2)).isTrue();
        first[0] = -1L; // what a cycle's allocation bits look like to the sweep that retires them
        long[] second = s.gcmarkBits;
        second[0] = 1L;
        s.installSweptBits();
        // The second reuses the bits the first retired, cleared: a stale reader of those had a cycle to finish.
        assertThat(s.allocBits).isSameAs(second);
        assertThat(s.gcmarkBits).isSameAs(first).containsOnly(0L);
        s.installSweptBits();
        assertThat(s.gcmarkBits).isSameAs(marks).containsOnly(0L);
        assertThat(s.allocBits).isSameAs(first);
    }
}
