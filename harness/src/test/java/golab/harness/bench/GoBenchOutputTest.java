package golab.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import golab.harness.bench.GoBenchOutput.Line;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoBenchOutputTest {

    /** Go 1.19's output of {@code go test -run '^$' -bench . -cpu 1,2 -count 2 -benchtime 200ms ./micro}, cut. */
    static final String OUTPUT = """
            goos: linux
            goarch: amd64
            pkg: golab/micro
            cpu: Oxide Virtual Turin-like Processor            \s
            BenchmarkPingPong           	  654055	       425.9 ns/op
            BenchmarkPingPong           	  725162	       341.5 ns/op
            BenchmarkPingPong-2         	  727524	       302.9 ns/op
            BenchmarkPingPong-2         	  710079	       361.1 ns/op
            BenchmarkBufferedChan/pairs=1           	 4948058	        51.71 ns/op
            BenchmarkBufferedChan/pairs=4-2         	 2056035	       119.8 ns/op
            BenchmarkSelect/cases=2-2               	 1000000	       256.6 ns/op
            BenchmarkPoolGetPut-2                   	31362032	         8.633 ns/op
            BenchmarkPoolAllocate-2                 	   99640	      2221 ns/op	    4096 B/op	       1 allocs/op
            PASS
            ok  	golab/micro	11.297s
            """;

    @Test
    void readsNameGomaxprocsIterationsAndNanosPerOp() {
        List<Line> lines = GoBenchOutput.parse(OUTPUT);

        assertThat(lines).containsExactly(
                new Line("BenchmarkPingPong", 1, 654055, 425.9),
                new Line("BenchmarkPingPong", 1, 725162, 341.5),
                new Line("BenchmarkPingPong", 2, 727524, 302.9),
                new Line("BenchmarkPingPong", 2, 710079, 361.1),
                new Line("BenchmarkBufferedChan/pairs=1", 1, 4948058, 51.71),
                new Line("BenchmarkBufferedChan/pairs=4", 2, 2056035, 119.8),
                new Line("BenchmarkSelect/cases=2", 2, 1000000, 256.6),
                new Line("BenchmarkPoolGetPut", 2, 31362032, 8.633),
                new Line("BenchmarkPoolAllocate", 2, 99640, 2221));
    }

    @Test
    void skipsFailuresLogsAndLinesWithoutNanosPerOp() {
        String output = """
                BenchmarkCounterMutex-4
                --- FAIL: BenchmarkCounterMutex-4
                    micro_test.go:230: counter is 3 after 4 increments
                BenchmarkThroughput-2   	 1000	  12.5 MB/s
                Benchmark summary: 3 runs
                FAIL
                exit status 1
                FAIL	golab/micro	0.012s
                BenchmarkSelect/cases=4-16    	  549855	       392.9 ns/op
                """;

        assertThat(GoBenchOutput.parse(output)).containsExactly(new Line("BenchmarkSelect/cases=4", 16, 549855, 392.9));
    }
}
