package dev.shardkv.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AwsEndpointTest {
    static final String[] ARN = {"aws", "us-east-1", "000000000000"};
    static final String FUNCTION = "arn:aws:lambda:us-east-1:000000000000:function:";

    /** An Event invoke is answered 202 at once, while the function still runs; its result is kept. */
    @Test
    void anAsynchronousInvokeAnswers202AndRunsTheFunctionInTheBackground() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        IamPolicy policy = IamPolicy.parse("""
                {"Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"%starget:live"}]}"""
                .formatted(FUNCTION));
        AwsEndpoint.Invoker invoker = new AwsEndpoint.Invoker() {
            @Override
            public ExecutionEnvironment.Result invoke(String function, String qualifier, byte[] payload) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new ExecutionEnvironment.Result(("{\"ran\":true,\"got\":" + new String(payload, StandardCharsets.UTF_8) + "}")
                        .getBytes(StandardCharsets.UTF_8), null);
            }

            @Override
            public boolean exists(String function) {
                return function.equals("target");
            }
        };
        try (AwsEndpoint endpoint = new AwsEndpoint(URI.create("http://127.0.0.1:9"), Map.of("KEY1", "caller"),
                Map.of("caller", policy), t -> "pk", ARN, invoker)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> event = http.send(invoke(endpoint, "target", "live", "Event"), HttpResponse.BodyHandlers.ofString());
            assertThat(event.statusCode()).isEqualTo(202);
            assertThat(event.body()).isEmpty();
            assertThat(endpoint.asyncInvocations()).hasSize(1);
            AwsEndpoint.AsyncInvocation run = endpoint.asyncInvocations().get(0);
            assertThat(List.of(run.caller(), run.function(), run.qualifier())).containsExactly("caller", "target", "live");
            assertThat(run.result()).isNotDone();
            release.countDown();
            assertThat(run.result().get(10, TimeUnit.SECONDS).text()).isEqualTo("{\"ran\":true,\"got\":{\"a\":1}}");

            HttpResponse<String> denied = http.send(invoke(endpoint, "target", null, "Event"), HttpResponse.BodyHandlers.ofString());
            assertThat(denied.statusCode()).as("the unqualified function is not in the policy").isEqualTo(403);
            assertThat(endpoint.asyncInvocations()).hasSize(1);
            assertThat(endpoint.denied()).containsExactly("caller: lambda:InvokeFunction on " + FUNCTION + "target");
        }
    }

    private static HttpRequest invoke(AwsEndpoint endpoint, String function, String qualifier, String type) {
        return HttpRequest.newBuilder(endpoint.uri().resolve("/2015-03-31/functions/" + function + "/invocations"
                        + (qualifier == null ? "" : "?Qualifier=" + qualifier)))
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=KEY1/20260101/us-east-1/lambda/aws4_request")
                .header("X-Amz-Invocation-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build();
    }
}
