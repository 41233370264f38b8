package golab.runtime.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The runtime/metrics of one run, under Go's names so that one script reads golab's and Go's output. Each
 * subsystem registers its metrics when the run starts; {@link #read} samples them now.
 */
public final class RuntimeMetrics {

    /** One metric read: Go's {@code metrics.Sample}. */
    public record Sample(String name, MetricValue value) {
    }

    private record Entry(MetricDescription description, Supplier<MetricValue> reader) {
    }

    private final Map<String, Entry> metrics = Collections.synchronizedMap(new LinkedHashMap<>());

    /** Registers a metric; names are unique. */
    public void register(MetricDescription description, Supplier<MetricValue> reader) {
        if (metrics.putIfAbsent(description.name(), new Entry(description, reader)) != null) {
            throw new IllegalArgumentException("metric already registered: " + description.name());
        }
    }

    /** Every metric this run supports (metrics.All). */
    public List<MetricDescription> all() {
        synchronized (metrics) {
            return metrics.values().stream().map(Entry::description).toList();
        }
    }

    /** Reads the named metrics now; an unknown name is rejected with the list of known ones. */
    public List<Sample> read(String... names) {
        List<Sample> samples = new ArrayList<>(names.length);
        for (String name : names) {
            Entry e = metrics.get(name);
            if (e == null) {
                throw new IllegalArgumentException("unknown metric '" + name + "'; known: "
                        + all().stream().map(MetricDescription::name).toList());
            }
            samples.add(new Sample(name, e.reader().get()));
        }
        return samples;
    }

    /** Reads one metric now. */
    public MetricValue read(String name) {
        return read(new String[] {name}).getFirst().value();
    }

    /** Reads every metric now. */
    public List<Sample> readAll() {
        return read(all().stream().map(MetricDescription::name).toArray(String[]::new));
    }
}
