package dev.shardkv.core.gateway;

import dev.shardkv.core.consistency.ConsistencyToken;
import dev.shardkv.core.kv.ValueCodec;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.tx.TxKind;
import dev.shardkv.core.tx.TxOp;
import dev.shardkv.core.tx.TxOutcome;
import dev.shardkv.core.tx.TxRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Atomic transactions: checked at the edge, admitted by the lag throttle on every shard they write,
 * committed by one shard's writer or by the coordinator when they span shards, routed again around a
 * reshard. A failed condition is an outcome, not an exception.
 */
final class Transactions {
    private final Router router;
    private final Leaders leaders;
    private final WriteThrottle throttle;
    private final ShardLoad load;

    Transactions(Router router, Leaders leaders, WriteThrottle throttle, ShardLoad load) {
        this.router = router;
        this.leaders = leaders;
        this.throttle = throttle;
        this.load = load;
    }

    Gateway.TxAnswer transact(List<TxOp> operations, ConsistencyToken token) {
        TxValidation.validate(operations);
        router.requireKnownShards(token);
        Router.Routed routed = router.send(map -> commit(operations, map));
        ShardErrors.requireOk(routed.response());
        List<String> involved = involved(operations, routed.map());
        TxOutcome outcome = routed.response().tx();
        ConsistencyToken merged = token;
        if (outcome.committed()) {
            for (String shard : involved) {
                merged = merged.merge(ConsistencyToken.of(shard, outcome.commitTs()));
            }
        }
        return new Gateway.TxAnswer(outcome, involved, merged);
    }

    /**
     * One try by one map: every shard written is counted (one write per shard, each key sampled, the bytes
     * of the values it puts) and admitted, then asked to commit.
     */
    private ShardResponse commit(List<TxOp> operations, ShardMap map) {
        List<String> involved = involved(operations, map);
        involved.forEach(load::write);
        for (TxOp op : operations) {
            String shard = map.route(op.key()).id();
            load.key(shard, map.routing(), op.key());
            if (op.op() == TxKind.PUT && op.value() != null) {
                load.bytes(shard, ValueCodec.utf8Length(op.value()));
            }
        }
        involved.forEach(id -> throttle.admit(map.shard(id).orElseThrow()));
        return leaders.toLeaders(involved, ShardRequest.tx(new TxRequest(operations, map.epoch())));
    }

    /** The shards the operations touch under a map, in the order of their first operation. */
    private static List<String> involved(List<TxOp> operations, ShardMap map) {
        Set<String> shards = new LinkedHashSet<>();
        operations.forEach(op -> shards.add(map.route(op.key()).id()));
        return new ArrayList<>(shards);
    }
}
