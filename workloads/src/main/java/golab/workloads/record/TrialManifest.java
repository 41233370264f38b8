package golab.workloads.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code trial.json}: what one fork of one parameter set ran and what it recorded. Written when the trial
 * starts, after every iteration, and with status {@code complete} when it ends, so a trial cut short says so
 * and keeps the iterations it finished.
 *
 * @param benchmark  JMH's full benchmark name ({@code golab.workloads.lab.RequestServer.serve})
 * @param params     the JMH parameters of the trial
 * @param pid        the fork's process id
 * @param status     {@code incomplete} until the trial's last fixture ran, then {@code complete}
 * @param streams    the {@code .hlog} files of the trial, by stream name ({@code latency} → {@code latency.hlog})
 * @param iterations every finished iteration, in order
 * @param startedAt  ISO-8601 UTC
 * @param endedAt    ISO-8601 UTC, null while incomplete
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TrialManifest(
        String benchmark,
        Map<String, String> params,
        long pid,
        String status,
        List<String> streams,
        List<Iteration> iterations,
        String startedAt,
        String endedAt) {

    public static final String INCOMPLETE = "incomplete";
    public static final String COMPLETE = "complete";

    public TrialManifest {
        params = Map.copyOf(params);
        streams = List.copyOf(streams);
        iterations = List.copyOf(iterations);
    }

    /**
     * One JMH iteration.
     *
     * @param index   1-based over the trial, warmup iterations included
     * @param type    {@value TrialFolder#WARMUP} or {@value TrialFolder#MEASUREMENT}
     * @param startMs epoch milliseconds when the iteration's setup ran
     * @param endMs   epoch milliseconds when its teardown ran
     */
    public record Iteration(int index, String type, long startMs, long endMs) {
    }
}
