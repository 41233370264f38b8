package golab.workloads.jvm;

import golab.workloads.RecordedWorkload;
import golab.workloads.VirtualThreads;
import golab.workloads.record.HiccupProbe;

/**
 * What every JVM baseline shares: the workload a Java user would write instead of the golab one, on virtual
 * threads with JVM objects, recorded as the golab workloads are ({@link RecordedWorkload}) so that the two sit
 * side by side.
 *
 * <p>{@code gomaxprocs} is the default virtual-thread scheduler's parallelism ({@link VirtualThreads}), set when
 * the trial starts, before the probe's virtual thread or any of the workload's exists. Recorded per iteration:
 * {@code gc-pauses.hlog} (the JVM's stop-the-world GC pauses, {@link JfrPauses}), {@code hiccup-thread.hlog} and
 * {@code hiccup-virtual-thread.hlog} ({@link HiccupProbe}: a platform thread and a virtual thread sleeping 1 ms),
 * and in {@code metrics.json} the JVM's collections; {@code gctrace.txt} stays empty, there being no golab run.
 *
 * <p>A baseline runs under the collector its benchmark method's {@code @Fork} names: each has a {@code g1} and a
 * {@code zgc} method with {@link #G1} or {@link #ZGC} appended to the fork's flags. The heap is {@value #HEAP},
 * fixed, for a {@code @Param} cannot reach a fork's command line: room for a live heap up to about 1 GiB and its
 * garbage. It is prepended, so a larger {@code -Xmx} given with JMH's {@code -jvmArgs} comes later and wins.
 */
public abstract class JvmWorkload extends RecordedWorkload {

    public static final String HICCUP_VIRTUAL_THREAD = "hiccup-virtual-thread";

    static final String HEAP = "-Xmx4g";
    /** JVM flags of the G1 variants (G1 is the default collector; named so the fork says so). */
    static final String G1 = "-XX:+UseG1GC";
    /** JVM flags of the ZGC variants: generational ZGC, the only ZGC of JDK 25. */
    static final String ZGC = "-XX:+UseZGC";

    private JfrPauses pauses;

    @Override
    protected final void startRuntime(HiccupProbe probe) {
        VirtualThreads.setParallelism(gomaxprocs);
        pauses = new JfrPauses();
        recording.cumulative(GC_PAUSES, pauses::snapshot);
        probe.startVirtualThread(recording.recorder(HICCUP_VIRTUAL_THREAD));
    }

    /**
     * The live heap's bytes, refused when it and as much again in garbage would not fit in this JVM's heap (its
     * {@code -Xmx}), rather than failing later with an OutOfMemoryError.
     */
    protected static long liveHeapBytes(String liveHeap) {
        long live = bytes("liveHeap", liveHeap);
        long max = Runtime.getRuntime().maxMemory();
        if (2 * live > max) {
            throw new IllegalArgumentException("liveHeap=" + liveHeap + ": this JVM's heap holds " + (max >> 20)
                    + " MiB, room for a live heap of at most " + (max / 2 >> 20)
                    + " MiB with its garbage; give a larger -Xmx with -jvmArgs");
        }
        return live;
    }

    @Override
    protected final void stopRuntime() {
        pauses.close();
    }
}
