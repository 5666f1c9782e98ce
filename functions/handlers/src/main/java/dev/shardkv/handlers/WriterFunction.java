package dev.shardkv.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.shard.ShardWriter;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** {@code {prefix}-{shard}-writer}: the only function that writes the shard's leader table. */
@Named("writer")
@Singleton
public class WriterFunction implements RequestHandler<ShardRequest, ShardResponse> {
    private final ShardWriter writer;

    @Inject
    public WriterFunction(ShardWriter writer) {
        this.writer = writer;
    }

    @Override
    public ShardResponse handleRequest(ShardRequest request, Context context) {
        return writer.handle(request);
    }
}
