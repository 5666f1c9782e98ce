package dev.shardkv.embedded;

import dev.shardkv.core.protocol.ShardClient;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.handlers.CoordinatorFunction;
import dev.shardkv.handlers.ReaderFunction;
import dev.shardkv.handlers.WriterFunction;
import java.util.Map;

/**
 * The embedded runtime's way to reach a shard's functions: a direct call to the same handler
 * classes the Lambdas run, where AWS would do a Lambda invoke.
 */
public final class InProcessShardClient implements ShardClient {
    private static final long TIMEOUT_MS = 30_000;
    private final Topology topology;
    private final Map<String, WriterFunction> writers;
    private final Map<String, ReaderFunction> readers;
    private final CoordinatorFunction coordinator;
    private final FunctionConcurrency concurrency;

    InProcessShardClient(Topology topology, Map<String, WriterFunction> writers, Map<String, ReaderFunction> readers,
            CoordinatorFunction coordinator, FunctionConcurrency concurrency) {
        this.concurrency = concurrency;
        this.topology = topology;
        this.writers = Map.copyOf(writers);
        this.readers = Map.copyOf(readers);
        this.coordinator = coordinator;
    }

    @Override
    public ShardResponse writer(String shard, ShardRequest request) {
        WriterFunction writer = writers.get(shard);
        if (writer == null) {
            throw new IllegalStateException("no writer function for shard " + shard);
        }
        String name = topology.writerFunction(shard);
        return bounded(name, request, () -> writer.handleRequest(request, new LocalContext(name, TIMEOUT_MS, 1024)));
    }

    @Override
    public ShardResponse reader(String shard, ShardRequest request) {
        ReaderFunction reader = readers.get(shard);
        if (reader == null) {
            throw new IllegalStateException("no reader function for shard " + shard);
        }
        String name = topology.readerFunction(shard);
        return bounded(name, request, () -> reader.handleRequest(request, new LocalContext(name, TIMEOUT_MS, 1024)));
    }

    @Override
    public ShardResponse coordinator(ShardRequest request) {
        String name = topology.coordinatorFunction();
        return bounded(name, request, () -> coordinator.handleRequest(request, new LocalContext(name, TIMEOUT_MS, 1024)));
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
