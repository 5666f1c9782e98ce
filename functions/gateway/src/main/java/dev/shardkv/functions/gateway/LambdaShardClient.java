package dev.shardkv.functions.gateway;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
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
                throw new IllegalStateException("function " + function + " failed (" + response.functionError() + "): "
                        + response.payload().asUtf8String());
            }
            return JSON.readValue(response.payload().asByteArray(), ShardResponse.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable answer from " + function, e);
        }
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
