package dev.weft.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything one run measured, and how it is written: {@code benchmarks/results/<date>.json}, the
 * chart {@code docs/benchmarks-throughput.png} and the generated part of {@code docs/benchmarks.md}
 * (between its markers; the text around them is kept).
 */
final class Results {

    static final String BEGIN = "<!-- generated results: begin -->";
    static final String END = "<!-- generated results: end -->";
    private static final String[] METRICS = {"throughput", "p50Ms", "p99Ms", "maxMs", "commitsPerUnit", "walBytesPerUnit",
        "cpuMsPerUnit"};

    private final Scale scale;
    private final String arguments;
    private final List<Trial> trials;
    private final Map<String, String> databases = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();
    private final @Nullable String tag;
    private Duration duration = Duration.ZERO;

    /** @param tag names a run of some workloads: its file is {@code <date>-<tag>.json}, and the document is left alone */
    Results(Scale scale, String arguments, List<Trial> trials, @Nullable String tag) {
        this.scale = scale;
        this.arguments = arguments;
        this.trials = trials;
        this.tag = tag;
    }

    void add(Trial trial) {
        trials.add(trial);
        System.out.printf("%s %-10s %-12s %-10s c=%-3d round %d: %s %s/s, p50 %s ms, p99 %s ms, commits/unit %s, CPU %s ms/unit %s%n",
                trial.workload(), trial.database(), trial.system(), trial.variant(), trial.concurrency(), trial.round(),
                Benchmarks.number(trial.throughput()), trial.unit(), Benchmarks.number(trial.p50Ms()),
                Benchmarks.number(trial.p99Ms()), trial.commitsPerUnit() == null ? "-" : Benchmarks.number(trial.commitsPerUnit()),
                Benchmarks.number(trial.cpuMsPerUnit()), trial.extra());
    }

    void addDatabase(String label, String version) {
        databases.put(label, version);
    }

    /** A text result (such as pg_test_fsync's summary) shown under its title. */
    void note(String title, String text) {
        notes.put(title, text);
        System.out.println(title + ":\n" + text);
    }

    void setDuration(Duration duration) {
        this.duration = duration;
    }

    List<Trial> trials() {
        return List.copyOf(trials);
    }

    private @Nullable Path root;

    /** Where {@link #checkpoint()} writes; {@code null} writes nothing. */
    void writeTo(@Nullable Path root) {
        this.root = root;
    }

    /** Writes what is measured so far, so that a later failure loses nothing. */
    void checkpoint() throws IOException {
        if (root != null) {
            write(root);
        }
    }

    void write(Path root) throws IOException {
        String date = LocalDate.now(ZoneOffset.UTC).toString();
        String suffix = (scale.name().equals("full") ? "" : "-" + scale.name()) + (tag == null ? "" : "-" + tag);
        Path json = root.resolve("benchmarks/results/" + date + suffix + ".json");
        Files.createDirectories(json.getParent());
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("date", date);
        document.put("scale", scale);
        document.put("arguments", arguments);
        document.put("machine", machine());
        document.put("databases", databases);
        document.put("durationSeconds", duration.toSeconds());
        List<Map<String, Object>> summaries = new ArrayList<>();
        Summary.byKey(trials).forEach((key, group) -> {
            Map<String, Object> summary = new LinkedHashMap<>();
            Trial first = group.getFirst();
            summary.put("workload", first.workload());
            summary.put("database", first.database());
            summary.put("system", first.system());
            summary.put("variant", first.variant());
            summary.put("concurrency", first.concurrency());
            summary.put("unit", first.unit());
            for (String metric : metrics(group)) {
                summary.put(metric, Summary.of(group, metric));
            }
            summaries.add(summary);
        });
        document.put("summaries", summaries);
        document.put("notes", notes);
        document.put("trials", trials);
        JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValue(json.toFile(), document);
        System.out.println("wrote " + json.normalize());
        if (scale.name().equals("full") && tag == null) {
            Path chart = root.resolve("docs/benchmarks-throughput.png");
            Chart.throughput(trials(), chart);
            Path doc = root.resolve("docs/benchmarks.md");
            String existing = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n";
            int begin = existing.indexOf(BEGIN);
            int end = existing.indexOf(END);
            String generated = BEGIN + "\n\n" + markdown() + "\n" + END;
            String updated = begin >= 0 && end > begin
                    ? existing.substring(0, begin) + generated + existing.substring(end + END.length())
                    : existing + "\n" + generated + "\n";
            Files.writeString(doc, updated);
            System.out.println("wrote " + doc.normalize() + " and " + chart.normalize());
        }
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Run of ").append(LocalDate.now(ZoneOffset.UTC)).append(", scale `").append(scale.name())
                .append("`, arguments `").append(arguments).append("`, ").append(duration.toMinutes()).append(" min in all. ")
                .append("Each cell: median of ").append(scale.rounds())
                .append(" measured rounds (after one warm-up round of a fifth of the work), with the spread min–max in brackets.\n\n");
        md.append("Machine: ").append(machine()).append(".  \n");
        databases.forEach((label, version) -> md.append(label).append(": ").append(version).append(".  \n"));
        md.append("\n![throughput against concurrency](benchmarks-throughput.png)\n\n");
        Map<String, List<Trial>> groups = Summary.byKey(trials);
        for (String workload : List.of("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9")) {
            List<List<Trial>> rows = groups.values().stream().filter(g -> g.getFirst().workload().equals(workload)).toList();
            if (rows.isEmpty()) {
                continue;
            }
            md.append("### ").append(workload).append("\n\n");
            List<String> extras = new ArrayList<>();
            for (List<Trial> group : rows) {
                for (String metric : group.getFirst().extra().keySet()) {
                    if (!extras.contains(metric)) {
                        extras.add(metric);
                    }
                }
            }
            md.append("| database | system | variant | conc. | units/s | p50 ms | p99 ms | max ms | commits/unit | WAL B/unit | CPU ms/unit |");
            extras.forEach(e -> md.append(' ').append(e).append(" |"));
            md.append("\n|---|---|---|---|---|---|---|---|---|---|---|");
            extras.forEach(e -> md.append("---|"));
            md.append('\n');
            for (List<Trial> group : rows) {
                Trial first = group.getFirst();
                md.append("| ").append(first.database()).append(" | ").append(first.system()).append(" | ").append(first.variant())
                        .append(" | ").append(first.concurrency()).append(" | ");
                for (String metric : METRICS) {
                    md.append(cell(Summary.of(group, metric))).append(" | ");
                }
                for (String extra : extras) {
                    md.append(cell(Summary.of(group, extra))).append(" | ");
                }
                md.setLength(md.length() - 1);
                md.append('\n');
            }
            md.append("\nUnits: ").append(rows.getFirst().getFirst().unit()).append(".\n\n");
        }
        notes.forEach((title, text) -> md.append("### ").append(title).append("\n\n```\n").append(text.strip()).append("\n```\n\n"));
        return md.toString();
    }

    private static String cell(@Nullable Summary summary) {
        return summary == null ? "–" : summary.format();
    }

    private static List<String> metrics(List<Trial> group) {
        List<String> metrics = new ArrayList<>(List.of(METRICS));
        metrics.addAll(group.getFirst().extra().keySet());
        return metrics;
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException | UncheckedIOException e) {
            // not Linux: the name stays unknown
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memory / (1L << 30) + " GiB RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", JDK "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", heap max " + Runtime.getRuntime().maxMemory() / (1L << 20) + " MiB; shared with other work while measured";
    }
}
