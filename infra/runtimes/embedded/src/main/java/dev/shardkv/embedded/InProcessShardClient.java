package dev.shardkv.embedded;

import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.handlers.CoordinatorFunction;
import dev.shardkv.handlers.ReaderFunction;
import dev.shardkv.handlers.WriterFunction;

/**
 * The embedded runtime's way to reach a shard's functions: a direct call to the same handler
 * classes the Lambdas run, where AWS would do a Lambda invoke.
 */
public final class InProcessShardClient implements ShardClient {
    private static final long TIMEOUT_MS = 30_000;
    private final Topology topology;
    private final ShardRuntimes shards;
    private final CoordinatorFunction coordinator;
    private final FunctionConcurrency concurrency;

    InProcessShardClient(Topology topology, ShardRuntimes shards, CoordinatorFunction coordinator,
            FunctionConcurrency concurrency) {
        this.concurrency = concurrency;
        this.topology = topology;
        this.shards = shards;
        this.coordinator = coordinator;
    }

    @Override
    public ShardResponse writer(String shard, ShardRequest request) {
        ShardRuntime runtime = shards.get(shard);
        WriterFunction writer = runtime.writer();
        String name = topology.writerFunction(shard);
        try {
            return bounded(name, request, () -> writer.handleRequest(request, new LocalContext(name, TIMEOUT_MS, 1024)));
        } finally {
            if (writes(request)) {
                runtime.pump().nudge(); // its record is in the stream: the idle pump polls now
            }
        }
    }

    @Override
    public ShardResponse reader(String shard, ShardRequest request) {
        ReaderFunction reader = shards.get(shard).reader();
        String name = topology.readerFunction(shard);
        return bounded(name, request, () -> reader.handleRequest(request, new LocalContext(name, TIMEOUT_MS, 1024)));
    }

    @Override
    public ShardResponse coordinator(ShardRequest request) {
        String name = topology.coordinatorFunction();
        try {
            return bounded(name, request, () -> coordinator.handleRequest(request, new LocalContext(name, TIMEOUT_MS, 1024)));
        } finally {
            if (writes(request)) {
                shards.all().forEach(shard -> shard.pump().nudge()); // a transaction's leaders
            }
        }
    }

    private static boolean writes(ShardRequest request) {
        return request instanceof ShardRequest.Put || request instanceof ShardRequest.Delete
                || request instanceof ShardRequest.Transact;
    }

    /**
     * Key-value work takes a function slot; scatter-gather queries do not: they hold a shard for up to
     * their deadline and have bounds of their own (the gateway's admission, the scan lanes).
     */
    private ShardResponse bounded(String function, ShardRequest request, java.util.function.Supplier<ShardResponse> call) {
        if (request instanceof ShardRequest.Query) {
            return call.get();
        }
        return concurrency.invoke(function, call);
    }
}
