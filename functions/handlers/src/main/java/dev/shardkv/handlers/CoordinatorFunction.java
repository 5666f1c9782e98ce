package dev.shardkv.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.shard.Coordinator;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** {@code {prefix}-coordinator}: cross-shard transactions and consistent multi-shard reads on the leaders. */
@Named("coordinator")
@Singleton
public class CoordinatorFunction implements RequestHandler<ShardRequest, ShardResponse> {
    private final Coordinator coordinator;

    @Inject
    public CoordinatorFunction(Coordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ShardResponse handleRequest(ShardRequest request, Context context) {
        return coordinator.handle(request);
    }
}
