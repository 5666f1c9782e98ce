package dev.shardkv.smoke;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one AWS endpoint every function is given (AWS_ENDPOINT_URL), on loopback. It knows the caller
 * from the access key in the request's signature (each function gets its own, as each has its own
 * role), checks the call against that function's IAM policy from the plan, then:
 * DynamoDB and DynamoDB Streams calls go on to DynamoDB Local (which serves both on one endpoint); Lambda
 * {@code Invoke} calls run the target function's zip: a synchronous one ({@code RequestResponse}) answers
 * with the function's result, an asynchronous one ({@code X-Amz-Invocation-Type: Event}) answers 202 at
 * once and runs the function in the background, as Lambda's event queue does.
 * A call the policy does not allow is answered as AWS answers it (AccessDeniedException) and recorded.
 */
public final class AwsEndpoint implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/");
    private static final Pattern INVOKE = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations$");

    /** An asynchronous invocation: who asked for it, of what, and its result once the function has returned. */
    public record AsyncInvocation(String caller, String function, String qualifier, CompletableFuture<ExecutionEnvironment.Result> result) {
    }

    /** Runs a function for an Invoke call. */
    public interface Invoker {
        ExecutionEnvironment.Result invoke(String function, String qualifier, byte[] payload);

        boolean exists(String function);
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().executor(threads).build();
    private final URI dynamo;
    private final Map<String, String> callers;
    private final Map<String, IamPolicy> policies;
    private final Function<String, String> hashKeys;
    private final String[] arn; // partition, region, account
    private final Invoker invoker;
    private final ConcurrentLinkedQueue<String> denied = new ConcurrentLinkedQueue<>();
    private final AtomicLong checked = new AtomicLong();
    private final ConcurrentLinkedQueue<AsyncInvocation> asyncInvocations = new ConcurrentLinkedQueue<>();
    private final Map<String, Set<String>> allowedActions = new ConcurrentHashMap<>();

    /**
     * @param callers   each function's name, by the access key it signs with
     * @param policies  each function's policy, by its name
     * @param arn       partition, region and account of the deployment
     */
    public AwsEndpoint(URI dynamo, Map<String, String> callers, Map<String, IamPolicy> policies, Function<String, String> hashKeys, String[] arn,
            Invoker invoker) {
        this.dynamo = dynamo;
        this.callers = callers;
        this.policies = policies;
        this.hashKeys = hashKeys;
        this.arn = arn;
        this.invoker = invoker;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Calls refused so far, one line each (who, what, on which resource). */
    public List<String> denied() {
        return List.copyOf(denied);
    }

    public long checked() {
        return checked.get();
    }

    /** The actions a function was allowed so far (e.g. dynamodb:GetRecords). */
    public Set<String> allowedActions(String function) {
        return Set.copyOf(allowedActions.getOrDefault(function, Set.of()));
    }

    /** The asynchronous invocations made so far, oldest first. */
    public List<AsyncInvocation> asyncInvocations() {
        return List.copyOf(asyncInvocations);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String key = accessKey(exchange.getRequestHeaders().getFirst("Authorization"));
            String caller = callers.getOrDefault(key, key);
            IamPolicy policy = policies.get(caller);
            if (policy == null) {
                error(exchange, 403, "UnrecognizedClientException", "The security token included in the request is invalid ("
                        + caller + " is no function of this deployment)");
                return;
            }
            Matcher invoke = INVOKE.matcher(exchange.getRequestURI().getRawPath());
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (invoke.matches() && exchange.getRequestMethod().equals("POST")) {
                invoke(exchange, caller, policy, URLDecoder.decode(invoke.group(1), StandardCharsets.UTF_8),
                        query(exchange.getRequestURI().getRawQuery(), "Qualifier"), body);
            } else if (target != null && (target.startsWith("DynamoDB_") || target.startsWith("DynamoDBStreams_"))) {
                dynamo(exchange, caller, policy, target, body);
            } else {
                error(exchange, 400, "UnknownOperationException", "the smoke endpoint serves DynamoDB, DynamoDB Streams and Lambda Invoke only, not "
                        + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " (" + target + ")");
            }
        } catch (RuntimeException e) {
            error(exchange, 500, "ServiceException", String.valueOf(e.getMessage()));
        }
    }

    private void invoke(HttpExchange exchange, String caller, IamPolicy policy, String function, String qualifier, byte[] payload)
            throws IOException {
        String name = function.startsWith("arn:") ? function.split(":")[6] : function;
        String resource = "arn:" + arn[0] + ":lambda:" + arn[1] + ":" + arn[2] + ":function:" + name
                + (qualifier == null ? "" : ":" + qualifier);
        if (!allowed(caller, policy, "lambda:InvokeFunction", resource, Map.of())) {
            error(exchange, 403, "AccessDeniedException", notAuthorized(caller, "lambda:InvokeFunction", resource));
            return;
        }
        if (!invoker.exists(name)) {
            error(exchange, 404, "ResourceNotFoundException", "Function not found: " + resource);
            return;
        }
        String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
        if ("Event".equals(type)) {
            // Lambda queues the event and answers 202 with no body; the function runs later, for as long as it runs.
            CompletableFuture<ExecutionEnvironment.Result> result = new CompletableFuture<>();
            asyncInvocations.add(new AsyncInvocation(caller, name, qualifier, result));
            threads.submit(() -> {
                try {
                    result.complete(invoker.invoke(name, qualifier, payload));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            exchange.sendResponseHeaders(202, -1);
            return;
        }
        if (type != null && !type.equals("RequestResponse")) {
            error(exchange, 400, "InvalidParameterValueException", "the smoke endpoint runs RequestResponse and Event invocations, not " + type);
            return;
        }
        ExecutionEnvironment.Result result = invoker.invoke(name, qualifier, payload);
        exchange.getResponseHeaders().add("X-Amz-Executed-Version", "1");
        if (result.errorType() != null) {
            exchange.getResponseHeaders().add("X-Amz-Function-Error", "Unhandled");
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, result.payload().length == 0 ? -1 : result.payload().length);
        exchange.getResponseBody().write(result.payload());
    }

    private void dynamo(HttpExchange exchange, String caller, IamPolicy policy, String target, byte[] body) throws IOException {
        DynamoCall call = DynamoCall.of(target, JSON.readTree(body), hashKeys);
        for (DynamoCall.Access access : call.accesses()) {
            String resource = "arn:" + arn[0] + ":dynamodb:" + arn[1] + ":" + arn[2] + ":table/" + access.table();
            if (!allowed(caller, policy, access.action(), resource, DynamoCall.context(access))) {
                // DynamoDB answers a denied call with 400 and this error type.
                error(exchange, 400, "com.amazon.coral.service#AccessDeniedException",
                        notAuthorized(caller, access.action(), resource));
                return;
            }
        }
        HttpRequest.Builder forward = HttpRequest.newBuilder(dynamo).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : Set.of("Content-Type", "X-Amz-Target", "Authorization", "X-Amz-Date", "X-Amz-Security-Token")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                forward.header(header, value);
            }
        }
        try {
            HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
            response.headers().firstValue("x-amzn-RequestId").ifPresent(v -> exchange.getResponseHeaders().add("x-amzn-RequestId", v));
            response.headers().firstValue("x-amz-crc32").ifPresent(v -> exchange.getResponseHeaders().add("x-amz-crc32", v));
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            exchange.getResponseBody().write(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(exchange, 500, "ServiceException", "interrupted");
        }
    }

    private boolean allowed(String caller, IamPolicy policy, String action, String resource, Map<String, List<String>> context) {
        checked.incrementAndGet();
        if (policy.allows(action, resource, context)) {
            allowedActions.computeIfAbsent(caller, c -> new ConcurrentSkipListSet<>()).add(action);
            return true;
        }
        denied.add(caller + ": " + action + " on " + resource + (context.isEmpty() ? "" : " " + context));
        return false;
    }

    private String notAuthorized(String caller, String action, String resource) {
        return "User: arn:" + arn[0] + ":sts::" + arn[2] + ":assumed-role/" + caller + "/" + caller
                + " is not authorized to perform: " + action + " on resource: " + resource
                + " because no identity-based policy allows the " + action + " action";
    }

    private static String accessKey(String authorization) {
        if (authorization == null) {
            return "(unsigned)";
        }
        Matcher m = CREDENTIAL.matcher(authorization);
        return m.find() ? m.group(1) : "(unsigned)";
    }

    private static String query(String raw, String name) {
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("__type", type, "message", message, "Message", message));
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().add("x-amzn-ErrorType", type.substring(type.indexOf('#') + 1));
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
