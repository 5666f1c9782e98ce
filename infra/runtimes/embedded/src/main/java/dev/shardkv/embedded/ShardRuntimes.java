package dev.shardkv.embedded;

import dev.shardkv.core.assembly.Assembly;
import dev.shardkv.core.replication.ReplicationListener;
import dev.shardkv.core.replication.Replicator;
import dev.shardkv.core.shard.Heartbeater;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.TableProvisioner;
import dev.shardkv.handlers.ReaderFunction;
import dev.shardkv.handlers.ReplicatorFunction;
import dev.shardkv.handlers.WriterFunction;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The shards the embedded runtime runs, by id: those of the shard map at start, and those a reshard
 * adds or retires while it runs. A shard's tables come from the map's entry, not from the topology, so a
 * reshard's targets run like any other shard.
 */
final class ShardRuntimes implements AutoCloseable {
    private final Topology topology;
    private final Assembly assembly;
    private final TableProvisioner tables;
    private final DynamoDbStreamsClient streams;
    private final StreamPump.Settings pumpSettings;
    private final ParkedRecords parked;
    private final StreamCheckpoints checkpoints;
    private final ReplicationListener listener;
    private final Heartbeater heartbeater;
    private final Map<String, ShardRuntime> running = new ConcurrentSkipListMap<>();

    ShardRuntimes(Topology topology, Assembly assembly, TableProvisioner tables, DynamoDbStreamsClient streams,
            StreamPump.Settings pumpSettings, ParkedRecords parked, StreamCheckpoints checkpoints,
            ReplicationListener listener, Heartbeater heartbeater) {
        this.topology = topology;
        this.assembly = assembly;
        this.tables = tables;
        this.streams = streams;
        this.pumpSettings = pumpSettings;
        this.parked = parked;
        this.checkpoints = checkpoints;
        this.listener = listener;
        this.heartbeater = heartbeater;
    }

    /** Creates the shard's tables unless they exist and builds its functions; {@link #start} sets them going. */
    ShardRuntime add(ShardEntry shard) {
        ShardRuntime runtime = build(shard);
        running.put(shard.id(), runtime);
        heartbeater.add(shard.id(), assembly.leader(shard));
        return runtime;
    }

    /**
     * Runs a shard with other replicas: new functions take over from the old ones, the new pump starting from the
     * stream position the old one saved (before it stops: the two overlap, and a record applied twice is applied
     * once by the apply rule), so the replicator feeds a new replica everything committed from now on.
     */
    void reshape(ShardEntry shard) {
        ShardRuntime next = build(shard);
        ShardRuntime current = running.get(shard.id());
        if (current != null) {
            next.replicator().carryOver(current.replicator());
        }
        next.pump().start();
        ShardRuntime previous = running.put(shard.id(), next);
        if (previous != null) {
            previous.close();
        }
    }

    /** Runs the shard, if it runs, without the replica table (as it runs now: later changes kept). */
    void withoutReplica(String shard, String table) {
        ShardRuntime runtime = running.get(shard);
        if (runtime != null && runtime.shard().replicas().contains(table)) {
            ShardEntry entry = runtime.shard();
            reshape(new ShardEntry(entry.id(), entry.start(), entry.end(), entry.leader(),
                    entry.replicas().stream().filter(r -> !r.equals(table)).toList()));
        }
    }

    private ShardRuntime build(ShardEntry shard) {
        tables.create(shard.leader(), true);
        shard.replicas().forEach(replica -> tables.create(replica, false));
        Replicator replicator = assembly.replicator(shard, listener);
        StreamPump pump = new StreamPump(shard.id(), topology.replicatorFunction(shard.id()),
                tables.streamArn(shard.leader()), streams, new ReplicatorFunction(replicator), pumpSettings, parked,
                checkpoints, replicator);
        return new ShardRuntime(shard, new WriterFunction(assembly.writer(shard)),
                new ReaderFunction(assembly.reader(shard)), replicator, pump);
    }

    /** Deletes one table (a replica removed, or emptied before it is added again). */
    void deleteTable(String table) {
        tables.delete(table);
    }


    /** Whether the shard's functions run. */
    boolean runs(String shard) {
        return running.containsKey(shard);
    }

    /** Stops a shard and deletes its tables: a retired source, or the target of an operation that ended without it. */
    void drop(ShardEntry shard) {
        stop(shard.id());
        tables.delete(shard.leader());
        shard.replicas().forEach(tables::delete);
    }

    /** Stops a shard's functions and its heartbeat; its tables stay (they are dropped when it is retired for good). */
    void stop(String shard) {
        heartbeater.remove(shard);
        ShardRuntime runtime = running.remove(shard);
        if (runtime != null) {
            runtime.close();
        }
    }

    ShardRuntime get(String shard) {
        ShardRuntime runtime = running.get(shard);
        if (runtime == null) {
            throw new IllegalStateException("no functions for shard " + shard);
        }
        return runtime;
    }

    /** The pump of the running shard whose leader table this is. */
    java.util.Optional<StreamPump> pumpOfLeader(String table) {
        for (ShardRuntime runtime : running.values()) {
            if (runtime.shard().leader().equals(table)) {
                return java.util.Optional.of(runtime.pump());
            }
        }
        return java.util.Optional.empty();
    }

    Collection<ShardRuntime> all() {
        return List.copyOf(running.values());
    }

    @Override
    public void close() {
        running.keySet().forEach(this::stop);
    }
}
