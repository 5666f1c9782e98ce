package dev.shardkv.embedded;

import dev.shardkv.core.reshard.ShardHost;
import dev.shardkv.core.topology.ShardEntry;

/** A reshard's shards in the embedded runtime: started in-process, their tables in DynamoDB Local. */
final class EmbeddedHost implements ShardHost {
    private final ShardRuntimes shards;

    EmbeddedHost(ShardRuntimes shards) {
        this.shards = shards;
    }

    @Override
    public synchronized void open(ShardEntry target, boolean fresh) {
        if (fresh) {
            shards.drop(target); // a retired shard of that id, in its grace, or an aborted target's tables
        }
        if (!shards.runs(target.id())) {
            shards.add(target).pump().start();
        }
    }

    @Override
    public synchronized void drop(ShardEntry shard) {
        shards.drop(shard);
    }

    @Override
    public synchronized void openReplica(ShardEntry shard, String table, boolean fresh) {
        if (fresh) { // a replica removed before, in its grace: nothing feeds it while its table goes
            shards.withoutReplica(shard.id(), table);
            shards.deleteTable(table);
        }
        shards.reshape(shard);
    }

    @Override
    public synchronized void dropReplica(ShardEntry shard, String table) {
        shards.withoutReplica(shard.id(), table); // the replicator stops feeding it before the table goes
        shards.deleteTable(table);
    }
}
