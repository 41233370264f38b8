package golab.harness.sweep;

import golab.harness.report.BaselineRatio;
import golab.harness.report.FailedRun;
import golab.harness.report.GoBenchResult;
import golab.harness.report.GoComparison;
import golab.harness.report.JmhResult;
import golab.harness.report.MarkdownTables;
import golab.harness.report.RunOutcome;
import golab.harness.report.ScoreTable;
import golab.harness.run.GitState;
import golab.harness.run.JdkInfo;
import golab.harness.run.MachineInfo;
import golab.harness.run.MalformedRunException;
import golab.harness.run.RunManifest;
import golab.harness.run.StoredTrial;
import golab.harness.show.TrialTable;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code report.md} of a sweep: what was measured on what, then a table per benchmark class
 * (rows: methods; columns: GOMAXPROCS values) and, for benchmarks with a JVM baseline, the ratio
 * golab / baseline per GOMAXPROCS value, and for those whose Go twin ran, golab beside Go; then what the lab
 * workloads' trials recorded (latency, pauses, hiccups); last, the runs that produced no result.
 */
public final class SweepReport {

    private SweepReport() {}

    public static String render(RunManifest<SweepSettings> manifest, List<RunOutcome> outcomes, Path trials,
                                List<GoBenchResult> goBench) {
        StringBuilder report = new StringBuilder();
        report.append("# golab sweep ").append(manifest.id()).append("\n\n");
        appendSetting(report, manifest);
        appendSummary(report, outcomes);
        for (ScoreTable table : ScoreTable.of(outcomes)) {
            report.append("## ").append(table.className()).append("\n\n");
            report.append(MarkdownTables.scores(table)).append('\n');
            List<BaselineRatio> ratios = BaselineRatio.of(table);
            if (!ratios.isEmpty()) {
                report.append("golab compared with the JVM doing the same work (golab score / baseline score):\n\n");
                report.append(MarkdownTables.ratios(table, ratios)).append('\n');
            }
            List<JmhResult> classResults = outcomes.stream()
                    .filter(o -> o instanceof JmhResult && o.key().className().equals(table.className()))
                    .map(JmhResult.class::cast).toList();
            List<GoComparison> beside = GoComparison.of(classResults, goBench);
            if (!beside.isEmpty()) {
                report.append("golab beside its Go twin (workloads/go/micro), measured in the same run (Go: the median")
                        .append(" of its runs, their number in brackets; golab / Go below 1: golab took less time):\n\n");
                report.append(GoComparison.markdown(beside)).append('\n');
            }
        }
        appendTrials(report, trials);
        appendFailures(report, outcomes);
        return report.toString();
    }

    private static void appendSetting(StringBuilder report, RunManifest<SweepSettings> manifest) {
        SweepSettings settings = manifest.parameters();
        JdkInfo jdk = manifest.jdk();
        MachineInfo machine = manifest.machine();
        report.append("- Status: ").append(manifest.status().json())
                .append(", started ").append(manifest.startedAt())
                .append(manifest.endedAt() == null ? "" : ", ended " + manifest.endedAt()).append('\n');
        report.append("- Benchmarks: matching ").append(patterns(settings.include()));
        if (!settings.exclude().isEmpty()) {
            report.append(", except ").append(patterns(settings.exclude()));
        }
        report.append("; gomaxprocs ").append(settings.gomaxprocs()).append('\n');
        report.append("- JMH ").append(manifest.jmhVersion()).append(": ")
                .append(settings.forks()).append(settings.forks() == 1 ? " fork" : " forks")
                .append(", warmup ").append(settings.warmupIterations()).append(" × ").append(settings.warmupTime())
                .append(", measurement ").append(settings.iterations()).append(" × ").append(settings.iterationTime())
                .append('\n');
        report.append("- JDK ").append(jdk.version()).append(" (").append(jdk.vendor()).append(", ")
                .append(jdk.vmName()).append(' ').append(jdk.vmVersion()).append(")\n");
        report.append("- Machine: ").append(machine.cpuModel()).append(", ").append(machine.cores())
                .append(" cores, ").append(machine.os()).append('\n');
        report.append("- Source: ").append(describe(manifest.git())).append("\n\n");
    }

    private static void appendSummary(StringBuilder report, List<RunOutcome> outcomes) {
        long measured = outcomes.stream().filter(JmhResult.class::isInstance).count();
        report.append(measured).append(" of ").append(outcomes.size()).append(" planned runs produced a result. ")
                .append("Scores are JMH's: the mean over iterations ± the half-width of JMH's 99.9% confidence ")
                .append("interval, in the row's unit. A quick sweep has few iterations: read differences within ")
                .append("the error as noise, and repeat with more forks and iterations before drawing conclusions.\n\n");
    }

    /** The trials' recordings, read back as any reader would ({@link StoredTrial}); a trial cut short is named. */
    private static void appendTrials(StringBuilder report, Path trials) {
        List<StoredTrial> stored;
        try {
            stored = StoredTrial.readAll(trials);
        } catch (MalformedRunException e) {
            report.append("## Recorded trials\n\nNot summarised: ").append(e.getMessage()).append("\n\n");
            return;
        }
        if (!stored.isEmpty()) {
            report.append("## Recorded trials\n\nEach trial's streams over its measurement iterations, in ")
                    .append("milliseconds (the .hlog files under trials/):\n\n")
                    .append(TrialTable.render(stored)).append('\n');
        }
    }

    private static void appendFailures(StringBuilder report, List<RunOutcome> outcomes) {
        List<String> failed = outcomes.stream()
                .filter(FailedRun.class::isInstance)
                .map(outcome -> "- " + outcome.key().describe())
                .toList();
        if (!failed.isEmpty()) {
            report.append("## Runs without a result\n\n")
                    .append("The benchmark threw or its fork died; JMH's console output of the sweep shows why.\n\n")
                    .append(String.join("\n", failed)).append('\n');
        }
    }

    private static String patterns(List<String> patterns) {
        return patterns.stream().map(p -> "`" + p + "`").collect(Collectors.joining(" or "));
    }

    private static String describe(GitState git) {
        if (git == null) {
            return "not a git checkout with a commit";
        }
        return "commit " + git.commit() + (git.dirty() ? " with uncommitted changes" : "");
    }
}
