package dev.shardkv.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The embedded runtime as a user runs it: the runner jar in its own JVM, on a free loopback port,
 * with extra -D settings; healthy before it is used, stopped with the benchmark (even when that is
 * interrupted). Its log goes to infra/tools/bench/target/runtime.log.
 */
final class RuntimeProcess implements AutoCloseable {
    private final Process process;
    private final URI base;

    private RuntimeProcess(Process process, URI base) {
        this.process = process;
        this.base = base;
    }

    static RuntimeProcess start(Path runner, Path topology, List<String> settings) throws IOException, InterruptedException {
        if (!Files.isRegularFile(runner)) {
            throw new IllegalStateException("no " + runner + ": build it with ./shardkv build or ./shardkv local once");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        String extra = System.getenv("SHARDKV_BENCH_RUNTIME_OPTS"); // e.g. a JFR recording, to profile
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dshardkv.topology=" + topology.toAbsolutePath(),
                "-Dquarkus.log.level=WARN"));
        command.addAll(settings);
        command.addAll(List.of("-jar", runner.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("infra/tools/bench/target/runtime.log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        RuntimeProcess runtime = new RuntimeProcess(p, URI.create("http://127.0.0.1:" + port));
        runtime.awaitHealthy();
        return runtime;
    }

    URI base() {
        return base;
    }

    long pid() {
        return process.pid();
    }

    /**
     * CPU time the runtime's JVM has used so far (user + system, every thread), in nanoseconds, from /proc/<pid>/stat;
     * its resolution is one clock tick (10 ms at the usual 100 Hz).
     */
    long cpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        // The fields after the command name (which may hold spaces) start at "state", field 3: utime is 14, stime 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
        return ticks * 1_000_000_000L / CLOCK_TICKS;
    }

    /** The kernel's clock ticks per second (USER_HZ), the unit of /proc/<pid>/stat's times. */
    private static final long CLOCK_TICKS = clockTicks();

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(getconf.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            return getconf.waitFor() == 0 ? Long.parseLong(out.trim()) : 100;
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 100; // USER_HZ on every mainstream Linux build
        }
    }

    /** Peak resident memory so far (VmHWM), in KiB. */
    long peakRssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private void awaitHealthy() throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the runtime exited; see infra/tools/bench/target/runtime.log");
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/q/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    Thread.sleep(1_000); // let heartbeats make every replica healthy
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the runtime did not start within 60 s");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
