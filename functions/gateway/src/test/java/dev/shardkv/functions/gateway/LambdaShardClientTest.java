package dev.shardkv.functions.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.Precondition;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.core.tx.TxKind;
import dev.shardkv.core.tx.TxOp;
import dev.shardkv.core.tx.TxRequest;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/** What the gateway puts on the wire is what a function's Lambda runtime reads back as the same request. */
class LambdaShardClientTest {
    /** Configured as Quarkus amazon-lambda's mapper that reads a handler's input. */
    private static final ObjectMapper LAMBDA_RUNTIME = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true).build();

    private final List<InvokeRequest> invoked = new ArrayList<>();

    @Test
    void eachRequestReachesItsFunctionAsTheSameRecord() throws Exception {
        Topology topology = Topology.fromClasspath("topology-test.json");
        String shard = topology.shards().get(0).id();
        LambdaShardClient client = new LambdaShardClient(lambda(), topology, "live");
        List<ShardRequest> requests = List.of(ShardRequest.put("apple", "1", Precondition.CREATE_ONLY, 1),
                ShardRequest.replicaGet("apple", 2, 1), ShardRequest.watermarks(),
                ShardRequest.batchGet(List.of("apple"), null, 1),
                ShardRequest.tx(new TxRequest(List.of(new TxOp(TxKind.PUT, "apple", "1", null)), 1)));
        for (ShardRequest request : requests) {
            ShardResponse response = request instanceof ShardRequest.Transact ? client.coordinator(request)
                    : client.writer(shard, request);
            assertThat(response.status()).isEqualTo(ShardStatus.OK);
            assertThat(response.epoch()).isEqualTo(1);
        }
        assertThat(invoked).hasSize(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            String json = invoked.get(i).payload().asUtf8String();
            assertThat(json).contains("\"op\":\"" + requests.get(i).op() + "\"");
            assertThat(LAMBDA_RUNTIME.readerFor(ShardRequest.class).<ShardRequest>readValue(json)).isEqualTo(requests.get(i));
        }
        assertThat(invoked.get(0).functionName()).isEqualTo(topology.writerFunction(shard));
        assertThat(invoked.get(4).functionName()).isEqualTo(topology.coordinatorFunction());
        assertThat(invoked).extracting(InvokeRequest::qualifier).containsOnly("live");
    }

    @Test
    void aFunctionThatFailsIsABadGatewayThatNamesItAndSaysAWriteMayHaveBeenApplied() {
        Topology topology = Topology.fromClasspath("topology-test.json");
        String shard = topology.shards().get(0).id();
        for (String payload : List.of("{\"errorMessage\":\"Quarkus did not start: no table\",\"errorType\":\"RuntimeException\"}",
                "Quarkus did not start: no table")) {
            LambdaShardClient client = new LambdaShardClient(lambda(InvokeResponse.builder().statusCode(200)
                    .functionError("Unhandled").payload(SdkBytes.fromUtf8String(payload)).build()), topology, "live");
            assertThatThrownBy(() -> client.writer(shard, ShardRequest.put("apple", "1", Precondition.NONE, 1)))
                    .isInstanceOfSatisfying(ShardKvException.class, e -> {
                        assertThat(e.type()).isEqualTo(ProblemType.SHARD_FAILED);
                        assertThat(e.type().status()).isEqualTo(502);
                        assertThat(e.getMessage()).contains(topology.writerFunction(shard), "(Unhandled)",
                                "Quarkus did not start: no table", "may or may not have been applied")
                                .doesNotContain("errorType");
                    });
        }
    }

    /** A LambdaClient whose every invoke is recorded and answered OK. */
    private LambdaClient lambda() {
        return lambda(InvokeResponse.builder().statusCode(200).payload(SdkBytes.fromUtf8String(
                "{\"status\":\"OK\",\"shard\":\"x\",\"servedBy\":\"x/leader\",\"epoch\":1}")).build());
    }

    /** A LambdaClient whose every invoke is recorded and answered with {@code answer}. */
    private LambdaClient lambda(InvokeResponse answer) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("invoke") && args != null && args[0] instanceof InvokeRequest request) {
                invoked.add(request);
                return answer;
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            throw new UnsupportedOperationException(method.getName());
        };
        return (LambdaClient) Proxy.newProxyInstance(LambdaClient.class.getClassLoader(),
                new Class<?>[] {LambdaClient.class}, handler);
    }
}
