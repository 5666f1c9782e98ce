package dev.shardkv.core.shard;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.ShardMapSource;
import dev.shardkv.core.tx.TransactionStore;
import dev.shardkv.core.tx.Transactor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code {prefix}-coordinator}: what spans shards on the leaders. A cross-shard transaction is one
 * DynamoDB TransactWriteItems over the leader tables involved, which DynamoDB makes ACID across
 * tables; a strong multi-shard read is one TransactGetItems, a serializable snapshot.
 */
public final class Coordinator {
    private final ShardMapSource maps;
    private final TransactionStore transactions;
    private final Transactor transactor;

    public Coordinator(ShardMapSource maps, TransactionStore transactions, Clock clock, Duration tombstoneTtl) {
        this.maps = maps;
        this.transactions = transactions;
        this.transactor = new Transactor(maps, transactions, clock, tombstoneTtl, shard -> true);
    }

    public ShardResponse handle(ShardRequest request) {
        try {
            return switch (request) {
                case ShardRequest.Transact tx ->
                    ShardResponse.tx("*", "coordinator", maps.current().epoch(), transactor.execute(tx.tx()));
                case ShardRequest.BatchGet batch -> {
                    ShardMap map = maps.atLeast(batch.epoch());
                    List<TransactionStore.ItemRef> refs = new ArrayList<>();
                    for (String key : batch.keys()) {
                        refs.add(new TransactionStore.ItemRef(map.route(key).leader(), key));
                    }
                    Map<TransactionStore.ItemRef, StoredItem> read = transactions.read(refs);
                    // Then the fences: open after the snapshot means no new owner had taken a write before it.
                    List<TransactionStore.ItemRef> fences = Transactor.fences(refs);
                    Transactor.requireOpen(fences, transactions.read(fences));
                    yield ShardResponse.items("*", "coordinator", map.epoch(), new ArrayList<>(read.values()));
                }
                case ShardRequest.Put p -> refuse(request);
                case ShardRequest.Delete d -> refuse(request);
                case ShardRequest.Get g -> refuse(request);
                case ShardRequest.Query q -> refuse(request);
                case ShardRequest.Watermarks w -> refuse(request);
            };
        } catch (ShardKvException e) {
            ShardStatus status = e.type() == ProblemType.SHARD_FROZEN ? ShardStatus.FROZEN : ShardStatus.INVALID;
            return ShardResponse.of(status, "*", "coordinator", null, maps.current().epoch(), e.detail());
        }
    }

    private ShardResponse refuse(ShardRequest request) {
        return ShardResponse.of(ShardStatus.INVALID, "*", "coordinator", null, maps.current().epoch(),
                "the coordinator takes TX and BATCH_GET, not " + request.op());
    }
}
