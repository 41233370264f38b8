package golab.runtime.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SizeClasses} and {@link SpanClass} against the size-class table of the reference
 * (go-runtime.md §6.2, copied from Go's sizeclasses.go): every row, the lookup boundaries, the waste bounds.
 */
class SizeClassesTest {

    /** One row of Go's table: class, object bytes, span bytes, objects, tail bytes, max waste %. */
    record Row(int cls, int size, int spanBytes, int objects, int tail, double maxWastePercent) {
    }

    static final List<Row> TABLE = List.of(
            new Row(1, 8, 8192, 1024, 0, 87.50),
            new Row(2, 16, 8192, 512, 0, 43.75),
            new Row(3, 24, 8192, 341, 8, 29.24),
            new Row(4, 32, 8192, 256, 0, 21.88),
            new Row(5, 48, 8192, 170, 32, 31.52),
            new Row(6, 64, 8192, 128, 0, 23.44),
            new Row(7, 80, 8192, 102, 32, 19.07),
            new Row(8, 96, 8192, 85, 32, 15.95),
            new Row(9, 112, 8192, 73, 16, 13.56),
            new Row(10, 128, 8192, 64, 0, 11.72),
            new Row(11, 144, 8192, 56, 128, 11.82),
            new Row(12, 160, 8192, 51, 32, 9.73),
            new Row(13, 176, 8192, 46, 96, 9.59),
            new Row(14, 192, 8192, 42, 128, 9.25),
            new Row(15, 208, 8192, 39, 80, 8.12),
            new Row(16, 224, 8192, 36, 128, 8.15),
            new Row(17, 240, 8192, 34, 32, 6.62),
            new Row(18, 256, 8192, 32, 0, 5.86),
            new Row(19, 288, 8192, 28, 128, 12.16),
            new Row(20, 320, 8192, 25, 192, 11.80),
            new Row(21, 352, 8192, 23, 96, 9.88),
            new Row(22, 384, 8192, 21, 128, 9.51),
            new Row(23, 416, 8192, 19, 288, 10.71),
            new Row(24, 448, 8192, 18, 128, 8.37),
            new Row(25, 480, 8192, 17, 32, 6.82),
            new Row(26, 512, 8192, 16, 0, 6.05),
            new Row(27, 576, 8192, 14, 128, 12.33),
            new Row(28, 640, 8192, 12, 512, 15.48),
            new Row(29, 704, 8192, 11, 448, 13.93),
            new Row(30, 768, 8192, 10, 512, 13.94),
            new Row(31, 896, 8192, 9, 128, 15.52),
            new Row(32, 1024, 8192, 8, 0, 12.40),
            new Row(33, 1152, 8192, 7, 128, 12.41),
            new Row(34, 1280, 8192, 6, 512, 15.55),
            new Row(35, 1408, 16384, 11, 896, 14.00),
            new Row(36, 1536, 8192, 5, 512, 14.00),
            new Row(37, 1792, 16384, 9, 256, 15.57),
            new Row(38, 2048, 8192, 4, 0, 12.45),
            new Row(39, 2304, 16384, 7, 256, 12.46),
            new Row(40, 2688, 8192, 3, 128, 15.59),
            new Row(41, 3072, 24576, 8, 0, 12.47),
            new Row(42, 3200, 16384, 5, 384, 6.22),
            new Row(43, 3456, 24576, 7, 384, 8.83),
            new Row(44, 4096, 8192, 2, 0, 15.60),
            new Row(45, 4864, 24576, 5, 256, 16.65),
            new Row(46, 5376, 16384, 3, 256, 10.92),
            new Row(47, 6144, 24576, 4, 0, 12.48),
            new Row(48, 6528, 32768, 5, 128, 6.23),
            new Row(49, 6784, 40960, 6, 256, 4.36),
            new Row(50, 6912, 49152, 7, 768, 3.37),
            new Row(51, 8192, 8192, 1, 0, 15.61),
            new Row(52, 9472, 57344, 6, 512, 14.28),
            new Row(53, 9728, 49152, 5, 512, 3.64),
            new Row(54, 10240, 40960, 4, 0, 4.99),
            new Row(55, 10880, 32768, 3, 128, 6.24),
            new Row(56, 12288, 24576, 2, 0, 11.45),
            new Row(57, 13568, 40960, 3, 256, 9.99),
            new Row(58, 14336, 57344, 4, 0, 5.35),
            new Row(59, 16384, 16384, 1, 0, 12.49),
            new Row(60, 18432, 73728, 4, 0, 11.11),
            new Row(61, 19072, 57344, 3, 128, 3.57),
            new Row(62, 20480, 40960, 2, 0, 6.87),
            new Row(63, 21760, 65536, 3, 256, 6.25),
            new Row(64, 24576, 24576, 1, 0, 11.45),
            new Row(65, 27264, 81920, 3, 128, 10.00),
            new Row(66, 28672, 57344, 2, 0, 4.91),
            new Row(67, 32768, 32768, 1, 0, 12.50),
            new Row(0, 0, 0, 0, 0, 0)); // class 0 = large, listed last only to end the list

    @Test
    void everyRowOfGosTable() {
        List<Row> rows = TABLE.subList(0, TABLE.size() - 1);
        assertThat(rows).hasSize(SizeClasses.NUM_SIZE_CLASSES - 1);
        for (Row r : rows) {
            int c = r.cls();
            assertThat(SizeClasses.classToSize(c)).as("size of class %d", c).isEqualTo(r.size());
            assertThat(SizeClasses.classToSpanBytes(c)).as("span of class %d", c).isEqualTo(r.spanBytes());
            assertThat(SizeClasses.classToAllocNPages(c)).as("pages of class %d", c)
                    .isEqualTo(r.spanBytes() / SizeClasses.PAGE_SIZE);
            assertThat(SizeClasses.classToObjects(c)).as("objects of class %d", c).isEqualTo(r.objects());
            assertThat(r.spanBytes() - r.objects() * r.size()).as("tail of class %d", c).isEqualTo(r.tail());
            assertThat(SizeClasses.sizeToClass(r.size())).as("class of its own size %d", r.size()).isEqualTo(c);
            assertThat(SizeClasses.roundupsize(r.size())).isEqualTo(r.size());
            // Go's "max waste": the smallest request of the class, one byte over the previous class.
            long smallest = SizeClasses.classToSize(c - 1) + 1;
            double maxWaste = 100.0 * (r.spanBytes() - r.objects() * smallest) / r.spanBytes();
            assertThat(maxWaste).as("max waste of class %d", c).isCloseTo(r.maxWastePercent(), within(0.005));
            assertThat(SizeClasses.sizeToClass(smallest)).isEqualTo(c);
        }
        assertThat(SizeClasses.classToSize(0)).isZero();
        assertThat(SizeClasses.classToObjects(0)).isZero();
    }

    @ParameterizedTest(name = "size {0} -> class {1}, rounded to {2}")
    @CsvSource({
        "0, 0, 0",
        "1, 1, 8",
        "8, 1, 8",
        "9, 2, 16",
        "17, 3, 24",
        "1016, 32, 1024",
        "1024, 32, 1024",
        "1025, 33, 1152",
        "32767, 67, 32768",
        "32768, 67, 32768",
        "32769, 0, 40960",
        "100000, 0, 106496",
    })
    void boundaries(long size, int cls, long rounded) {
        assertThat(SizeClasses.sizeToClass(size)).isEqualTo(cls);
        assertThat(SizeClasses.roundupsize(size)).isEqualTo(rounded);
    }

    @Test
    void everySmallSizeGetsTheSmallestClassThatHoldsIt() {
        for (int size = 1; size <= SizeClasses.MAX_SMALL_SIZE; size++) {
            int c = SizeClasses.sizeToClass(size);
            assertThat(SizeClasses.classToSize(c)).isGreaterThanOrEqualTo(size);
            assertThat(SizeClasses.classToSize(c - 1)).as("class below %d", size).isLessThan(size);
        }
    }

    /**
     * Classes whose requests can waste more than 12.5 % in rounding: mksizeclasses.go picks sizes 1/8 apart
     * from 128 B up, but then merges neighbouring classes with the same pages and object count, and raises
     * a size to spanBytes/objects; the class above a merge gets the wider range (769..896 B, 14.2 %).
     */
    static final List<Integer> MERGED = List.of(31, 37, 40, 44, 45, 51, 52);

    @Test
    void roundingWastesAtMostAnEighthAbove112BytesExceptAfterMerges() {
        for (int size = 113; size <= SizeClasses.MAX_SMALL_SIZE; size++) {
            long block = SizeClasses.roundupsize(size);
            int c = SizeClasses.sizeToClass(size);
            if (MERGED.contains(c)) {
                assertThat((block - size) * 100).as("waste rounding %d to %d", size, block).isLessThan(16 * block);
            } else {
                assertThat((block - size) * 8).as("waste rounding %d to %d", size, block).isLessThanOrEqualTo(block);
            }
        }
        for (int c : MERGED) {
            long worst = SizeClasses.classToSize(c - 1) + 1;
            assertThat((SizeClasses.classToSize(c) - worst) * 8).as("class %d", c)
                    .isGreaterThan(SizeClasses.classToSize(c));
        }
    }

    @Test
    void spansWasteAtMostAnEighthInTheirTail() {
        for (int c = 1; c < SizeClasses.NUM_SIZE_CLASSES; c++) {
            int span = SizeClasses.classToSpanBytes(c);
            int tail = span - SizeClasses.classToObjects(c) * SizeClasses.classToSize(c);
            assertThat(tail * 8).as("tail of class %d", c).isLessThanOrEqualTo(span);
            assertThat(SizeClasses.classToObjects(c)).isLessThanOrEqualTo(SizeClasses.MAX_OBJS_PER_SPAN);
        }
    }

    @Test
    void largeObjectsRoundToWholePages() {
        assertThat(SizeClasses.pagesFor(32769)).isEqualTo(5);
        assertThat(SizeClasses.pagesFor(40960)).isEqualTo(5);
        assertThat(SizeClasses.pagesFor(40961)).isEqualTo(6);
        assertThatThrownBy(() -> SizeClasses.sizeToClass(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void spanClassesPackTheNoscanBit() {
        assertThat(SpanClass.NUM_SPAN_CLASSES).isEqualTo(136);
        assertThat(SpanClass.TINY_SPAN_CLASS).isEqualTo(5);
        for (int c = 0; c < SizeClasses.NUM_SIZE_CLASSES; c++) {
            for (boolean noscan : new boolean[] {false, true}) {
                int spc = SpanClass.make(c, noscan);
                assertThat(spc).isBetween(0, SpanClass.NUM_SPAN_CLASSES - 1);
                assertThat(SpanClass.sizeclass(spc)).isEqualTo(c);
                assertThat(SpanClass.noscan(spc)).isEqualTo(noscan);
            }
        }
        assertThatThrownBy(() -> SpanClass.make(68, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
