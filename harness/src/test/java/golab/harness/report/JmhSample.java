package golab.harness.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A small JMH result file in the exact shape JMH 1.37 writes ({@code sample-jmh.json}): three
 * benchmark classes, golab methods with JVM baselines, gomaxprocs 1, 2 and 10, a NaN error, a
 * second parameter and a benchmark without parameters.
 */
final class JmhSample {

    static final String SPAWN = "golab.workloads.sched.SpawnBench";
    static final String PING_PONG = "golab.workloads.chan.PingPongBench";
    static final String PAUSES = "golab.workloads.gc.PauseBench";

    private JmhSample() {}

    static String json() {
        try (InputStream in = JmhSample.class.getResourceAsStream("sample-jmh.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JmhResult> results() {
        try {
            return JmhResultFile.parse(json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ScoreTable table(String className) {
        return ScoreTable.of(results()).stream()
                .filter(table -> table.className().equals(className))
                .findFirst()
                .orElseThrow();
    }
}
