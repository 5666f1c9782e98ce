package dev.shardkv.functions.gateway;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/** Reaches a shard's writer or reader function with a synchronous Lambda invoke of its alias. */
public final class LambdaShardClient implements ShardClient {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final LambdaClient lambda;
    private final Topology topology;
    private final String qualifier;

    public LambdaShardClient(LambdaClient lambda, Topology topology, String qualifier) {
        this.lambda = lambda;
        this.topology = topology;
        this.qualifier = qualifier;
    }

    @Override
    public ShardResponse writer(String shard, ShardRequest request) {
        return invoke(topology.writerFunction(shard), request);
    }

    @Override
    public ShardResponse reader(String shard, ShardRequest request) {
        return invoke(topology.readerFunction(shard), request);
    }

    @Override
    public ShardResponse coordinator(ShardRequest request) {
        return invoke(topology.coordinatorFunction(), request);
    }

    private ShardResponse invoke(String function, ShardRequest request) {
        try {
            InvokeResponse response = lambda.invoke(b -> b.functionName(function).qualifier(qualifier)
                    .payload(SdkBytes.fromByteArray(toJson(request))));
            if (response.functionError() != null) {
                // The function failed (its init, a crash, a timeout): an upstream's fault, so 502, not our 500. A write
                // it was given may or may not have committed, as with any answer lost on the way.
                throw new ShardKvException(ProblemType.SHARD_FAILED, "Function " + function + " failed ("
                        + response.functionError() + "): " + errorMessage(response) + ". A write sent to it may or may "
                        + "not have been applied: read the key to know.", Map.of("function", function));
            }
            return JSON.readValue(response.payload().asByteArray(), ShardResponse.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable answer from " + function, e);
        }
    }

    /** The {@code errorMessage} of Lambda's error payload, or the payload itself (at most 300 characters). */
    private static String errorMessage(InvokeResponse response) {
        String payload = response.payload() == null ? "" : response.payload().asUtf8String();
        try {
            var message = JSON.readTree(payload).path("errorMessage");
            if (message.isTextual()) {
                payload = message.asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: say what came
        }
        return payload.length() > 300 ? payload.substring(0, 300) + "..." : payload;
    }

    private static byte[] toJson(ShardRequest request) {
        try {
            // Written as the sealed interface: its "op" property names the record the function reads back.
            return JSON.writerFor(ShardRequest.class).writeValueAsBytes(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
