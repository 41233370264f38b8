package golab.harness.bench;

import java.util.List;

/**
 * The settings of a {@code golab bench} run, as its manifest records them.
 *
 * @param jmhArguments the arguments given to JMH, unchanged
 */
public record BenchSettings(List<String> jmhArguments) {

    public BenchSettings {
        jmhArguments = List.copyOf(jmhArguments);
    }
}
