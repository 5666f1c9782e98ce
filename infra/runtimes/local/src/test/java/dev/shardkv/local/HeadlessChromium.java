package dev.shardkv.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A page in headless Chromium that a test can type into: Chromium's DevTools protocol over a WebSocket on loopback
 * (--remote-debugging-port, the port read from the profile's DevToolsActivePort file). Only what the tests need:
 * evaluate JavaScript, type text, press Enter. Closing kills Chromium and its helpers and deletes the profile.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final ObjectMapper json = new ObjectMapper();
    private final Process process;
    private final Path profile;
    private final Path log;
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private WebSocket socket;

    private HeadlessChromium(Process process, Path profile, Path log) {
        this.process = process;
        this.profile = profile;
        this.log = log;
    }

    static HeadlessChromium open(Path chromium, URL page) throws Exception {
        Path profile = Files.createTempDirectory("shardkv-chromium-");
        Path log = Files.createTempFile("shardkv-chromium-", ".err");
        List<String> command = new ArrayList<>();
        command.add(chromium.toString());
        command.addAll(DashboardPageTest.CHROMIUM_FLAGS);
        command.addAll(List.of("--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--window-size=1200,900", page.toString()));
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
        HeadlessChromium browser = new HeadlessChromium(process, profile, log);
        try {
            browser.connect(page);
            return browser;
        } catch (Exception | AssertionError e) {
            browser.close();
            throw e;
        }
    }

    private void connect(URL page) throws Exception {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("chromium gave no DevTools port within " + START_TIMEOUT + ":\n" + logTail());
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        String target = null;
        while (target == null) {
            JsonNode targets = json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode t : targets) {
                if ("page".equals(t.path("type").asText()) && t.path("url").asText().startsWith(page.toString())) {
                    target = t.path("webSocketDebuggerUrl").asText();
                }
            }
            if (target == null && System.nanoTime() > deadline) {
                throw new AssertionError("no page target for " + page + ": " + targets);
            }
            Thread.sleep(50);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(target), new Listener())
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The value of a JavaScript expression in the page (JSON: strings, numbers, booleans, null). */
    JsonNode eval(String expression) throws Exception {
        ObjectNode params = json.createObjectNode().put("expression", expression).put("returnByValue", true);
        JsonNode result = call("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new AssertionError("page threw on " + expression + ": " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Waits until a JavaScript condition holds in the page. */
    void await(String what, String condition, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!eval("Boolean(" + condition + ")").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page did not show " + what + " within " + within + "; body: "
                        + eval("document.body.outerHTML.slice(0, 3000)").asText());
            }
            Thread.sleep(100);
        }
    }

    /** Focuses the element, types the text as keyboard input would, and presses Enter. */
    void typeAndEnter(String selector, String text) throws Exception {
        eval("document.querySelector(" + json.writeValueAsString(selector) + ").focus()");
        call("Input.insertText", json.createObjectNode().put("text", text));
        for (String type : List.of("keyDown", "keyUp")) {
            ObjectNode key = json.createObjectNode().put("type", type).put("key", "Enter").put("code", "Enter")
                    .put("windowsVirtualKeyCode", 13).put("nativeVirtualKeyCode", 13);
            if (type.equals("keyDown")) {
                key.put("text", "\r"); // what makes Enter submit the form
            }
            call("Input.dispatchKeyEvent", key);
        }
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        calls.put(id, answer);
        ObjectNode message = json.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(json.writeValueAsString(message), true).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        JsonNode reply = answer.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (reply.has("error")) {
            throw new AssertionError(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = json.readTree(text.toString());
                    CompletableFuture<JsonNode> call = message.has("id") ? calls.remove(message.get("id").asInt()) : null;
                    if (call != null) {
                        call.complete(message);
                    }
                } catch (IOException e) {
                    calls.values().forEach(c -> c.completeExceptionally(e));
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    private String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Override
    public void close() throws Exception {
        if (socket != null) {
            socket.abort();
        }
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroyForcibly();
        helpers.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
        DashboardPageTest.deleteTree(profile);
        Files.deleteIfExists(log);
    }
}
