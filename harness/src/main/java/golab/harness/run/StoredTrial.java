package golab.harness.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import golab.workloads.record.TrialFolder;
import golab.workloads.record.TrialManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * One trial of a stored run, read back and checked: its {@code trial.json} and every {@code .hlog} stream it
 * lists, each a sequence of interval histograms (values in nanoseconds) tagged warmup or measurement.
 */
public record StoredTrial(TrialFolder folder, TrialManifest manifest, Map<String, List<Histogram>> streams) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public StoredTrial {
        streams = Map.copyOf(streams);
    }

    /**
     * Reads the trial in {@code folder}, rejecting it — naming the file — unless its manifest parses and says
     * complete and every stream it lists parses, with one interval per iteration.
     */
    public static StoredTrial read(TrialFolder folder) {
        Path file = folder.trial();
        TrialManifest manifest;
        try {
            manifest = JSON.readValue(file.toFile(), TrialManifest.class);
        } catch (IOException e) {
            throw new MalformedRunException(file, "not a trial manifest", e);
        }
        if (!TrialManifest.COMPLETE.equals(manifest.status())) {
            throw new MalformedRunException(file, "the trial is " + manifest.status() + " (its fork was cut short "
                    + "after " + manifest.iterations().size() + " iterations)");
        }
        Map<String, List<Histogram>> streams = new LinkedHashMap<>();
        for (String stream : manifest.streams()) {
            List<Histogram> intervals = intervals(folder.hlog(stream));
            if (intervals.size() != manifest.iterations().size()) {
                throw new MalformedRunException(folder.hlog(stream), intervals.size() + " intervals for "
                        + manifest.iterations().size() + " iterations in " + TrialFolder.TRIAL);
            }
            streams.put(stream, intervals);
        }
        return new StoredTrial(folder, manifest, streams);
    }

    /** Every trial under {@code trialsRoot} (a run's {@code trials/}), sorted by folder; none if it is absent. */
    public static List<StoredTrial> readAll(Path trialsRoot) {
        if (!Files.isDirectory(trialsRoot)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(trialsRoot)) {
            return files.filter(f -> f.getFileName().toString().equals(TrialFolder.TRIAL))
                    .map(f -> new TrialFolder(f.getParent()))
                    .sorted((a, b) -> a.path().compareTo(b.path()))
                    .map(StoredTrial::read)
                    .toList();
        } catch (IOException e) {
            throw new MalformedRunException(trialsRoot, "cannot list the trials", e);
        }
    }

    /** Everything {@code stream} recorded during measurement iterations, merged. */
    public Histogram measurement(String stream) {
        List<Histogram> intervals = streams.get(stream);
        if (intervals == null) {
            throw new IllegalArgumentException("no stream " + stream + " in " + folder.path() + "; it has "
                    + streams.keySet());
        }
        Histogram merged = new Histogram(3);
        intervals.stream().filter(h -> TrialFolder.MEASUREMENT.equals(h.getTag())).forEach(merged::add);
        return merged;
    }

    private static List<Histogram> intervals(Path hlog) {
        if (!Files.isRegularFile(hlog)) {
            throw new MalformedRunException(hlog, "missing: the trial lists this stream");
        }
        List<Histogram> intervals = new ArrayList<>();
        try (HistogramLogReader reader = new HistogramLogReader(hlog.toFile())) {
            for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
                if (!(h instanceof Histogram histogram)) {
                    throw new MalformedRunException(hlog, "holds a " + h.getClass().getSimpleName()
                            + ", not integer nanosecond histograms");
                }
                if (!TrialFolder.WARMUP.equals(h.getTag()) && !TrialFolder.MEASUREMENT.equals(h.getTag())) {
                    throw new MalformedRunException(hlog, "an interval tagged " + h.getTag() + ", not "
                            + TrialFolder.WARMUP + " or " + TrialFolder.MEASUREMENT);
                }
                intervals.add(histogram);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedRunException m) {
                throw m;
            }
            throw new MalformedRunException(hlog, "not a readable HdrHistogram log", e);
        }
        return intervals;
    }
}
