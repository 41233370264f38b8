package golab.harness.report;

import java.util.ArrayList;
import java.util.List;

/** Renders score tables and golab/baseline ratios as GitHub-flavoured Markdown tables. */
public final class MarkdownTables {

    /** Shown where a row has no run for a column (for example a benchmark without gomaxprocs). */
    static final String NOT_RUN = "—";

    /** Shown where a planned run produced no result. */
    static final String FAILED = "failed";

    private MarkdownTables() {}

    /** {@code | Benchmark | Mode | gomaxprocs=1 | gomaxprocs=2 | Unit |}, one line per row. */
    public static String scores(ScoreTable table) {
        List<String> header = new ArrayList<>(List.of("Benchmark", "Mode"));
        table.columns().forEach(column -> header.add(column.header()));
        header.add("Unit");
        StringBuilder markdown = new StringBuilder();
        line(markdown, header);
        separator(markdown, 2, table.columns().size(), 1);
        for (Row row : table.rows()) {
            List<String> cells = new ArrayList<>(List.of(row.label(), row.mode()));
            table.columns().forEach(column -> cells.add(cell(row.cells().get(column))));
            cells.add(row.unit().orElse(""));
            line(markdown, cells);
        }
        return markdown.toString();
    }

    /**
     * {@code | golab vs baseline | Mode | golab better when | gomaxprocs=1 | ... |}: the ratio
     * golab score / baseline score per column; "better when" says which side of 1 favours golab.
     */
    public static String ratios(ScoreTable table, List<BaselineRatio> ratios) {
        List<String> header = new ArrayList<>(List.of("golab / baseline", "Mode", "golab better when"));
        table.columns().forEach(column -> header.add(column.header()));
        StringBuilder markdown = new StringBuilder();
        line(markdown, header);
        separator(markdown, 3, table.columns().size(), 0);
        for (BaselineRatio ratio : ratios) {
            List<String> cells = new ArrayList<>(List.of(
                    ratio.golab().label() + " / " + ratio.baseline().method(),
                    ratio.golab().mode(),
                    ratio.higherIsBetter() ? "> 1" : "< 1"));
            table.columns().forEach(column -> {
                Double value = ratio.ratios().get(column);
                cells.add(value == null ? NOT_RUN : ScoreFormat.ratio(value));
            });
            line(markdown, cells);
        }
        return markdown.toString();
    }

    private static String cell(RunOutcome outcome) {
        return switch (outcome) {
            case null -> NOT_RUN;
            case JmhResult result -> ScoreFormat.scoreWithError(result.score(), result.scoreError());
            case FailedRun failed -> FAILED;
        };
    }

    private static void line(StringBuilder markdown, List<String> cells) {
        markdown.append('|');
        for (String cell : cells) {
            markdown.append(' ').append(cell.replace("|", "\\|")).append(" |");
        }
        markdown.append('\n');
    }

    /** Text columns left-aligned, number columns right-aligned so digits line up. */
    private static void separator(StringBuilder markdown, int textColumns, int numberColumns, int trailingText) {
        markdown.append('|');
        markdown.append("---|".repeat(textColumns));
        markdown.append("---:|".repeat(numberColumns));
        markdown.append("---|".repeat(trailingText));
        markdown.append('\n');
    }
}
