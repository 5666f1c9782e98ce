package dev.shardkv.embedded;

import dev.shardkv.core.replication.Replicator;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.handlers.ReaderFunction;
import dev.shardkv.handlers.WriterFunction;

/** One shard's functions in the embedded runtime: writer, reader, replicator, and the pump feeding the replicator. */
record ShardRuntime(ShardEntry shard, WriterFunction writer, ReaderFunction reader, Replicator replicator,
        StreamPump pump) implements AutoCloseable {

    @Override
    public void close() {
        pump.close(); // saves its stream position
        replicator.close();
    }
}
