package dev.weft.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A child JVM (of W3 or W8) running {@link Benchmarks} with a child command; it reports on standard
 * output, and its standard error goes to {@code target/<log>.log}.
 */
record ChildProcess(Process process, BufferedReader output, String log) {

    private static @Nullable String frozen;

    /** Copies the class path of the children now, before anything else can be installed. */
    static void freeze() throws IOException {
        frozenClassPath();
    }

    static ChildProcess start(List<String> arguments, String log) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx1g", "-XX:+UseG1GC", "-cp", frozenClassPath(), Benchmarks.class.getName()));
        command.addAll(arguments);
        Path file = Files.createDirectories(Path.of("target")).resolve(log + ".log");
        Process process = new ProcessBuilder(command).redirectError(file.toFile()).start();
        return new ChildProcess(process, new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                log);
    }

    /** The first line of the child's output that starts with {@code marker}. */
    String await(String marker) throws IOException {
        String line;
        while ((line = output.readLine()) != null) {
            if (line.startsWith(marker)) {
                return line;
            }
        }
        throw new IllegalStateException("the child ended before " + marker + "; see benchmarks/target/" + log + ".log");
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * This JVM's class path with its snapshot jars copied to {@code target/child-classpath} when first
     * asked: the local Maven repository is shared, and another checkout that installs a newer engine
     * meanwhile must not change the code the children run.
     */
    private static synchronized String frozenClassPath() throws IOException {
        if (frozen == null) {
            Path dir = Files.createDirectories(Path.of("target", "child-classpath"));
            List<String> entries = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path path = Path.of(entry);
                if (entry.endsWith(".jar") && entry.contains("SNAPSHOT") && Files.isRegularFile(path)) {
                    Path copy = dir.resolve(path.getFileName());
                    Files.copy(path, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    entries.add(copy.toAbsolutePath().toString());
                } else {
                    entries.add(entry);
                }
            }
            frozen = String.join(java.io.File.pathSeparator, entries);
        }
        return frozen;
    }
}
