package dev.shardkv.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.shard.ShardReader;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** {@code {prefix}-{shard}-reader}: serves reads from the shard's replica tables. */
@Named("reader")
@Singleton
public class ReaderFunction implements RequestHandler<ShardRequest, ShardResponse> {
    private final ShardReader reader;

    @Inject
    public ReaderFunction(ShardReader reader) {
        this.reader = reader;
    }

    @Override
    public ShardResponse handleRequest(ShardRequest request, Context context) {
        return reader.handle(request);
    }
}
