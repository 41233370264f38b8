package golab.runtime.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@link Arena}: a 1 GiB reservation costs no RSS until touched; touched pages read back what was written;
 * release zeroes them and gives the RSS back; exhaustion and use-after-close fail loudly.
 */
class ArenaTest {

    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    @Test
    void reservesAlignedAddressSpaceAndReadsBackWhatIsWritten() {
        try (Arena a = Arena.reserve(GIB)) {
            assertThat(a.size()).isEqualTo(GIB);
            assertThat(a.base() % Arena.CHUNK_BYTES).isZero();
            assertThat(a.base()).isNotZero();
            assertThat(a.limit() - a.base()).isEqualTo(GIB);
            long[] pages = {0, 1, 4097, GIB / SizeClasses.PAGE_SIZE - 1};
            for (long p : pages) {
                long addr = a.base() + p * SizeClasses.PAGE_SIZE;
                assertThat(a.getLong(addr)).as("untouched page reads zero").isZero();
                a.putLong(addr, p * 31 + 7);
                a.putByte(addr + 8, (byte) 0x5a);
            }
            for (long p : pages) {
                long addr = a.base() + p * SizeClasses.PAGE_SIZE;
                assertThat(a.getLong(addr)).isEqualTo(p * 31 + 7);
                assertThat(a.getByte(addr + 8)).isEqualTo((byte) 0x5a);
            }
            a.clear(a.base(), 16);
            assertThat(a.getLong(a.base())).isZero();
            assertThat(a.segment(a.base() + SizeClasses.PAGE_SIZE, 8).get(java.lang.foreign.ValueLayout.JAVA_LONG, 0))
                    .isEqualTo(38);
        }
    }

    @Test
    void releaseZeroesPagesAndRssFollows() throws IOException {
        long bytes = 64 * MIB;
        try (Arena a = Arena.reserve(GIB)) {
            long addr = a.grow(bytes);
            long before = rss();
            for (long off = 0; off < bytes; off += 4096) {
                a.putLong(addr + off, off | 1);
            }
            long touched = rss();
            assertThat(touched - before).as("RSS after touching 64 MiB").isGreaterThan(56 * MIB);
            a.release(addr, bytes);
            long released = rss();
            assertThat(touched - released).as("RSS given back by release").isGreaterThan(56 * MIB);
            for (long off = 0; off < bytes; off += 4096) {
                if (a.getLong(addr + off) != 0) {
                    throw new AssertionError("released page at +" + off + " not zero");
                }
            }
        }
    }

    /**
     * Huge-page advice as Go 1.19 gives it on Linux, read back from the kernel's VMA flags ({@code hg} =
     * MADV_HUGEPAGE, {@code nh} = MADV_NOHUGEPAGE): none at reservation, none for a span that covers no whole
     * huge page, {@code hg} on the whole huge pages a span covers, {@code nh} on a huge page a release only
     * partly covers.
     */
    @Test
    void hugePagesAreAdvisedWhereGoAdvisesThem() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/sys/kernel/mm/transparent_hugepage")),
                "the kernel has no transparent huge pages, so no advice to read back");
        long huge = Arena.HUGE_PAGE_BYTES;
        try (Arena a = Arena.reserve(64 * MIB)) {
            long base = a.grow(16 * MIB);
            assertThat(vmFlags(base)).as("after reservation").doesNotContain("hg", "nh");
            a.used(base + SizeClasses.PAGE_SIZE, SizeClasses.PAGE_SIZE);
            assertThat(vmFlags(base + SizeClasses.PAGE_SIZE)).as("a one-page span").doesNotContain("hg");
            a.used(base + huge - SizeClasses.PAGE_SIZE, 2 * huge + 2 * SizeClasses.PAGE_SIZE);
            assertThat(vmFlags(base + huge)).as("first whole huge page of a large span").contains("hg");
            assertThat(vmFlags(base + 3 * huge - 1)).as("last whole huge page of a large span").contains("hg");
            assertThat(vmFlags(base + huge - 1)).as("the span's partial head").doesNotContain("hg");
            assertThat(vmFlags(base + 3 * huge)).as("the span's partial tail").doesNotContain("hg");
            a.release(base + huge + SizeClasses.PAGE_SIZE, SizeClasses.PAGE_SIZE);
            assertThat(vmFlags(base + huge)).as("huge page partly released").contains("nh");
            assertThat(vmFlags(base + 2 * huge)).as("its neighbour keeps its advice").contains("hg");
        }
    }

    /** The {@code VmFlags} of the mapping that holds {@code addr}, from /proc/self/smaps. */
    private static java.util.List<String> vmFlags(long addr) throws IOException {
        boolean inside = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                inside = start <= addr && addr < end;
            } else if (inside && line.startsWith("VmFlags:")) {
                return java.util.List.of(line.substring("VmFlags:".length()).trim().split(" +"));
            }
        }
        throw new AssertionError("no mapping holds 0x" + Long.toHexString(addr));
    }

    @Test
    void untouchedReservationCostsNoRss() throws IOException {
        long before = rss();
        try (Arena a = Arena.reserve(8 * GIB)) {
            a.grow(8 * GIB);
            assertThat(rss() - before).isLessThan(16 * MIB);
        }
    }

    @Test
    void growBeyondTheReservationNamesRequestedAndAvailableBytes() {
        try (Arena a = Arena.reserve(8 * MIB)) {
            assertThat(a.grow(4 * MIB)).isEqualTo(a.base());
            assertThat(a.mapped()).isEqualTo(4 * MIB);
            assertThatThrownBy(() -> a.grow(8 * MIB))
                    .isInstanceOf(ArenaExhaustedException.class)
                    .hasMessageContaining("cannot allocate 8388608-byte block")
                    .hasMessageContaining("4194304 of its 8388608 reserved bytes available")
                    .satisfies(e -> {
                        ArenaExhaustedException x = (ArenaExhaustedException) e;
                        assertThat(x.requested()).isEqualTo(8 * MIB);
                        assertThat(x.available()).isEqualTo(4 * MIB);
                    });
            assertThat(a.grow(4 * MIB)).isEqualTo(a.base() + 4 * MIB);
        }
    }

    @Test
    void sizeRoundsUpToChunksAndBadRangesAreRejected() {
        try (Arena a = Arena.reserve(1)) {
            assertThat(a.size()).isEqualTo(Arena.CHUNK_BYTES);
            assertThatThrownBy(() -> a.release(a.base() + 4096, SizeClasses.PAGE_SIZE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole pages");
            assertThatThrownBy(() -> a.release(a.base(), 2 * Arena.CHUNK_BYTES))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> a.grow(100)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Arena.reserve(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void accessAfterCloseThrowsInsteadOfFaulting() {
        Arena a = Arena.reserve(8 * MIB);
        long base = a.base();
        a.putLong(base, 1);
        a.close();
        assertThatThrownBy(() -> a.getLong(base)).isInstanceOf(IllegalStateException.class);
    }

    /** Resident set size of this process, from /proc/self/smaps_rollup. */
    static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
            if (line.startsWith("Rss:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no Rss line in /proc/self/smaps_rollup");
    }
}
