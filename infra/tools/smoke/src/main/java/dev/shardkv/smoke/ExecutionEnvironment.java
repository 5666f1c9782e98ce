package dev.shardkv.smoke;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Lambda execution environment: the function's unpacked zip as its task root, a JVM started the way
 * the java21 managed runtime starts it (the Runtime Interface Client with the runtime's JVM flags, the
 * handler from Terraform as its argument), and the Lambda Runtime API it polls, served here on loopback.
 * Like Lambda, it runs one invocation at a time and is started by the first one (a cold start).
 */
public final class ExecutionEnvironment implements AutoCloseable {
    static final String API = "/2018-06-01/runtime";

    /** What an invocation returned: the payload, and the error type when the function failed. */
    public record Result(byte[] payload, String errorType) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private record Invocation(String id, byte[] event, long deadlineMs, String invokedArn, CompletableFuture<Result> result) {
    }

    private final TerraformPlan.Function function;
    private final Path taskRoot;
    private final ManagedRuntime runtime;
    private final Map<String, String> lambdaEnvironment;
    private final Path log;
    private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> running = new ConcurrentHashMap<>();
    private final CompletableFuture<Long> initialized = new CompletableFuture<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private HttpServer server;
    private Process process;
    private long startedNanos;
    private volatile boolean closed;

    /**
     * @param lambdaEnvironment what Lambda itself adds to the function's environment (credentials, region, endpoint)
     */
    public ExecutionEnvironment(TerraformPlan.Function function, Path taskRoot, ManagedRuntime runtime,
            Map<String, String> lambdaEnvironment, Path log) {
        this.function = function;
        this.taskRoot = taskRoot;
        this.runtime = runtime;
        this.lambdaEnvironment = lambdaEnvironment;
        this.log = log;
    }

    public String name() {
        return function.name();
    }

    /** Init duration as Lambda reports it: from the start of the runtime to its first request for an invocation. */
    public long initMs() {
        return initialized.isDone() && !initialized.isCompletedExceptionally() ? initialized.join() : -1;
    }

    /** Why the init failed (what the runtime posted to /init/error, or how it exited), or null. */
    public String initError() {
        if (!initialized.isCompletedExceptionally()) {
            return null;
        }
        try {
            initialized.join();
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause().getMessage();
        }
    }

    public boolean started() {
        return process != null;
    }

    /**
     * Invokes the function (starting the environment if it is cold) and waits for its answer. A failed init, a
     * runtime that exits and a missed deadline are function errors, as Lambda reports them to the caller.
     */
    public Result invoke(byte[] event, String invokedArn, long deadlineMs) {
        try {
            return invokeOnce(event, invokedArn, deadlineMs);
        } catch (IllegalStateException e) {
            try {
                return new Result(Smoke.JSON.writeValueAsBytes(Map.of("errorType", "Runtime.ExitError",
                        "errorMessage", String.valueOf(e.getMessage()))), "Unhandled");
            } catch (IOException json) {
                throw new UncheckedIOException(json);
            }
        }
    }

    private synchronized Result invokeOnce(byte[] event, String invokedArn, long deadlineMs) {
        start();
        awaitInit();
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), event, deadlineMs, invokedArn,
                new CompletableFuture<>());
        queue.add(invocation);
        try {
            long waitMs = Math.max(1, deadlineMs - System.currentTimeMillis()) + 5_000;
            return invocation.result().get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name() + " timed out (no answer by its deadline)" + tail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(name() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Starts the runtime if it is not running yet (without waiting for its init). */
    public synchronized void start() {
        if (process != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.setExecutor(threads);
            server.createContext(API + "/", this::handle);
            server.start();
            Path tmp = Files.createDirectories(log.resolveSibling(function.name() + ".tmp"));
            ProcessBuilder pb = new ProcessBuilder(runtime.command(function, tmp)).directory(taskRoot.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.clear(); // a function sees what Terraform and Lambda give it, nothing of this shell
            env.putAll(runtime.environment(function, taskRoot, tmp));
            env.putAll(lambdaEnvironment);
            env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + server.getAddress().getPort());
            startedNanos = System.nanoTime();
            process = pb.start();
            process.onExit().thenRun(() -> {
                if (!closed) {
                    initialized.completeExceptionally(new IllegalStateException(
                            name() + ": the runtime exited with status " + process.exitValue() + tail()));
                    running.values().forEach(i -> i.result().completeExceptionally(new IllegalStateException(
                            "the runtime exited with status " + process.exitValue() + " during the invocation" + tail())));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until a started environment has finished its init (or failed it). */
    public void awaitStarted() {
        awaitInit();
    }

    private void awaitInit() {
        try {
            initialized.get(120, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name() + " did not finish its init in 120 s" + tail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(API.length());
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("GET") && path.equals("/invocation/next")) {
                next(exchange);
            } else if (path.equals("/init/error")) {
                initialized.completeExceptionally(new IllegalStateException(name() + " failed its init ("
                        + exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type") + ")" + tail()));
                reply(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/invocation/") && (path.endsWith("/response") || path.endsWith("/error"))) {
                String id = path.substring("/invocation/".length(), path.lastIndexOf('/'));
                Invocation invocation = running.remove(id);
                if (invocation == null) {
                    reply(exchange, 400, "{\"errorType\":\"InvalidRequestID\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                String errorType = null;
                if (path.endsWith("/error")) {
                    errorType = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
                    errorType = errorType == null ? "Unhandled" : errorType;
                }
                invocation.result().complete(new Result(body, errorType));
                reply(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
            } else {
                reply(exchange, 404, "{\"errorType\":\"NotFound\"}".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        initialized.complete((System.nanoTime() - startedNanos) / 1_000_000);
        Invocation invocation = null;
        while (invocation == null && !closed) {
            try {
                invocation = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (invocation == null) {
            return;
        }
        running.put(invocation.id(), invocation);
        var headers = exchange.getResponseHeaders();
        headers.add("Lambda-Runtime-Aws-Request-Id", invocation.id());
        headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineMs()));
        headers.add("Lambda-Runtime-Invoked-Function-Arn", invocation.invokedArn());
        headers.add("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + invocation.id().replace("-", "").substring(0, 24) + ";Sampled=0");
        headers.add("Content-Type", "application/json");
        reply(exchange, 200, invocation.event());
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    /** The end of the function's log, for a failure message. */
    public String tail() {
        try {
            // Stack frames left out: the messages and their causes say what went wrong.
            List<String> lines = (Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.<String>of())
                    .stream().filter(l -> !l.isBlank() && !l.startsWith("WARNING:") && !l.matches("^\\s+(at |\\.\\.\\. \\d+ more).*"))
                    .toList();
            return "\n    --- last lines of " + log + " (stack frames left out) ---\n    "
                    + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 12), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return " (log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        closed = true;
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        if (server != null) {
            server.stop(0);
        }
        threads.shutdownNow();
    }
}
