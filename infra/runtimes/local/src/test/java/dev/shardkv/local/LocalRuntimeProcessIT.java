package dev.shardkv.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shardkv.embedded.DataDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built runtime ({@code target/quarkus-app/quarkus-run.jar}, as {@code ./shardkv local} runs it)
 * as a process: a data directory it cannot use ends it at once with a message on stderr and a
 * non-zero exit code, and SIGTERM ends a start that hangs. Runs after {@code package} (failsafe).
 * Every wait is bounded, and every process is killed in the end.
 */
class LocalRuntimeProcessIT {
    static final Path RUNNER = Path.of("target/quarkus-app/quarkus-run.jar");
    static final Path TOPOLOGY = Path.of("../../../topology.json");
    static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void aDataDirectoryNobodyCanWriteEndsTheProcessWithAClearMessage() throws Exception {
        Path proc = Path.of("/proc/self"); // not writable even for root
        assumeTrue(Files.isDirectory(proc), "needs Linux's /proc");
        Run run = start(proc);
        try {
            assertThat(run.process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the process ended").isTrue();
            assertThat(run.process.exitValue()).isNotZero();
            assertThat(run.stderr()).contains("The data directory /proc/self is not writable")
                    .contains("Give --data-dir a folder you can write");
        } finally {
            run.kill();
        }
    }

    @Test
    void aDataDirectoryInUseEndsTheSecondProcessWithAClearMessage() throws Exception {
        Path dir = work.resolve("data");
        try (DataDirectory first = DataDirectory.open(dir)) { // this JVM plays the first runtime
            Run run = start(dir);
            try {
                assertThat(run.process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the process ended").isTrue();
                assertThat(run.process.exitValue()).isNotZero();
                assertThat(run.stderr()).contains("The data directory " + first.path() + " is in use by another ShardKV runtime")
                        .contains("pid " + ProcessHandle.current().pid());
            } finally {
                run.kill();
            }
        }
    }

    @Test
    void sigtermEndsAStartThatHangs() throws Exception {
        Path dir = work.resolve("data");
        // The directory is fine, but the database "file" is a folder: DynamoDB Local retries opening it forever.
        Files.createDirectories(dir.resolve("shardkv-local.db"));
        Run run = start(dir);
        try {
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (!run.stdout().contains("unable to open database file") && run.process.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(run.stdout()).as("the start hangs in DynamoDB Local").contains("unable to open database file");
            run.process.destroy(); // SIGTERM
            assertThat(run.process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the process ended on SIGTERM").isTrue();
            assertThat(run.process.exitValue()).isNotZero();
        } finally {
            run.kill();
        }
    }

    record Run(Process process, Path out, Path err) {
        String stdout() throws IOException {
            return Files.readString(out);
        }

        String stderr() throws IOException {
            return Files.readString(err);
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    Run start(Path dataDir) throws IOException {
        assertThat(RUNNER).as("the runner jar (mvn package)").isRegularFile();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Dshardkv.topology=" + TOPOLOGY.toAbsolutePath(),
                "-Dshardkv.data-dir=" + dataDir,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=0",
                "-jar", RUNNER.toString()));
        Path out = Files.createTempFile(work, "stdout", ".txt");
        Path err = Files.createTempFile(work, "stderr", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Run(process, out, err);
    }
}
