package golab.runtime.gc;

/**
 * The memory figures the {@linkplain Pacer#memoryLimitHeapGoal() memory-limit heap goal} reads each time it is
 * evaluated (go-runtime.md §8.4; Go keeps them as {@code gcControllerState.mappedReady}, {@code heapFree},
 * {@code totalAlloc - totalFree}). Implementations may be read concurrently and need not be mutually consistent:
 * the pacer treats a negative non-heap remainder as zero.
 */
public interface MemoryStats {

    /** All memory the runtime has mapped and not released to the OS, in bytes: what the memory limit covers. */
    long mappedReady();

    /** Free heap pages that are not scavenged (still backed by memory), in bytes. */
    long heapFree();

    /** Bytes of heap objects allocated and not yet freed, including dead objects not yet swept. */
    long heapAlloc();

    /** Fixed figures, for tests and for callers without a real heap. */
    static MemoryStats of(long mappedReady, long heapFree, long heapAlloc) {
        return new MemoryStats() {
            @Override
            public long mappedReady() {
                return mappedReady;
            }

            @Override
            public long heapFree() {
                return heapFree;
            }

            @Override
            public long heapAlloc() {
                return heapAlloc;
            }
        };
    }
}
