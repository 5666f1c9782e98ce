package dev.shardkv.core.shard;

import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.kv.StoredItem;
import dev.shardkv.core.kv.ValueCodec;
import dev.shardkv.core.kv.WriteOutcome;
import dev.shardkv.core.protocol.ShardRequest;
import dev.shardkv.core.protocol.ShardResponse;
import dev.shardkv.core.protocol.ShardStatus;
import dev.shardkv.core.store.Fence;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.ShardMapSource;
import dev.shardkv.core.query.ShardQueries;
import dev.shardkv.core.tx.TransactionStore;
import dev.shardkv.core.tx.Transactor;
import java.util.ArrayList;
import java.util.List;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The shard's writer: the only one that writes its leader table. Every write is one atomic, conditional,
 * versioned write (linearizable per key). It refuses keys the current shard map gives another
 * shard, and answers nothing from its leader that a {@link Fence} read after it does not find open,
 * so that a reshard never lands a write on the wrong shard nor loses an acknowledged one.
 */
public final class ShardWriter {
    /** How long tombstones stay before DynamoDB's TTL may remove them; longer than any stream replay. */
    public static final Duration DEFAULT_TOMBSTONE_TTL = Duration.ofDays(7);

    private final String shard;
    private final ShardMapSource maps;
    private final LeaderStore leader;
    private final Clock clock;
    private final Duration tombstoneTtl;
    private final TransactionStore transactions;
    private final Transactor transactor;
    private final FenceGate gate;

    public ShardWriter(String shard, ShardMapSource maps, LeaderStore leader, Clock clock, Duration tombstoneTtl,
            TransactionStore transactions) {
        this.shard = shard;
        this.maps = maps;
        this.leader = leader;
        this.clock = clock;
        this.tombstoneTtl = tombstoneTtl;
        this.transactions = transactions;
        // A single-shard transaction is the writer's: it may write its own leader only.
        this.transactor = new Transactor(maps, transactions, clock, tombstoneTtl, shard::equals);
        this.gate = new FenceGate(() -> Fence.read(leader));
    }

    public String shard() {
        return shard;
    }

    public ShardResponse handle(ShardRequest request) {
        try {
            return switch (request) {
                case ShardRequest.Put put -> put(put);
                case ShardRequest.Delete delete -> delete(delete);
                case ShardRequest.Get get -> get(get);
                case ShardRequest.Watermarks w -> invalid("the writer has no replicas to report on");
                case ShardRequest.Query query -> query(query);
                case ShardRequest.BatchGet batch -> batchGet(batch);
                case ShardRequest.Transact tx ->
                    ShardResponse.tx(shard, servedBy(), maps.current().epoch(), transactor.execute(tx.tx()));
            };
        } catch (ShardKvException e) {
            ShardStatus status = switch (e.type()) {
                case WRONG_SHARD -> ShardStatus.WRONG_SHARD;
                case SHARD_FROZEN -> ShardStatus.FROZEN;
                default -> ShardStatus.INVALID;
            };
            return ShardResponse.of(status, shard, servedBy(), null, maps.current().epoch(), e.detail());
        }
    }

    private ShardResponse put(ShardRequest.Put request) {
        Keys.requireClientKey(request.key());
        ValueCodec.requireWithinLimit(request.value());
        Optional<ShardResponse> fenced = fence(request.key(), request.epoch());
        if (fenced.isPresent()) {
            return fenced.get();
        }
        if (gate.beforeWrite().frozen()) {
            return frozen();
        }
        return confirmed(leader.put(request.key(), request.value(), clock.millis(), request.preconditionOrNone()));
    }

    private ShardResponse delete(ShardRequest.Delete request) {
        Keys.requireClientKey(request.key());
        Optional<ShardResponse> fenced = fence(request.key(), request.epoch());
        if (fenced.isPresent()) {
            return fenced.get();
        }
        if (gate.beforeWrite().frozen()) {
            return frozen();
        }
        long now = clock.millis();
        long expiresAt = (now + tombstoneTtl.toMillis()) / 1000;
        return confirmed(leader.delete(request.key(), now, expiresAt, request.preconditionOrNone()));
    }

    private ShardResponse get(ShardRequest.Get request) {
        Keys.requireClientKey(request.key());
        Optional<ShardResponse> fenced = fence(request.key(), request.epoch());
        if (fenced.isPresent()) {
            return fenced.get();
        }
        long epoch = maps.current().epoch();
        Optional<StoredItem> read = leader.get(request.key());
        if (gate.confirm().frozen()) {
            return frozen(); // the new owners may hold newer writes
        }
        return read.map(item -> item.isLive()
                        ? ShardResponse.ok(shard, servedBy(), item, false, epoch)
                        : ShardResponse.of(ShardStatus.NOT_FOUND, shard, servedBy(), item, epoch, null))
                .orElseGet(() -> ShardResponse.of(ShardStatus.NOT_FOUND, shard, servedBy(), null, epoch, null));
    }

    private ShardResponse query(ShardRequest.Query request) {
        var result = ShardQueries.run(request.query(), leader, true, clock);
        return gate.confirm().frozen() ? frozen() : ShardResponse.query(shard, servedBy(), maps.current().epoch(), result);
    }

    /** A consistent snapshot of several keys of this shard (TransactGetItems on the leader). */
    private ShardResponse batchGet(ShardRequest.BatchGet request) {
        ShardMap map = maps.atLeast(request.epoch());
        List<TransactionStore.ItemRef> refs = new ArrayList<>();
        for (String key : request.keys()) {
            String owner = map.route(key).id();
            if (!owner.equals(shard)) {
                return ShardResponse.of(ShardStatus.WRONG_SHARD, shard, servedBy(), null, map.epoch(),
                        "wrong shard, epoch " + map.epoch() + ": " + key + " belongs to shard " + owner);
            }
            refs.add(new TransactionStore.ItemRef(leader.table(), key));
        }
        List<StoredItem> read = new ArrayList<>(transactions.read(refs).values());
        // A frozen shard's items may be older than its new owners'.
        return gate.confirm().frozen() ? frozen() : ShardResponse.items(shard, servedBy(), map.epoch(), read);
    }

    private Optional<ShardResponse> fence(String key, long epoch) {
        ShardMap map = maps.atLeast(epoch);
        String owner = map.route(key).id();
        if (!owner.equals(shard)) {
            return Optional.of(ShardResponse.of(ShardStatus.WRONG_SHARD, shard, servedBy(), null, map.epoch(),
                    "wrong shard, epoch " + map.epoch() + ": the key belongs to shard " + owner));
        }
        return Optional.empty();
    }

    /**
     * The answer to a write, once the fence is read: open, it stands; frozen, a committed write is in doubt
     * (it may not outlive the cutover) and a refused one is retried by the new owner.
     */
    private ShardResponse confirmed(WriteOutcome outcome) {
        ShardResponse answer = answer(outcome);
        if (!gate.confirm().frozen()) {
            return answer;
        }
        boolean committed = outcome instanceof WriteOutcome.Written || outcome instanceof WriteOutcome.Deleted;
        return committed ? ShardResponse.inDoubt(answer, "the write committed as the shard froze for a reshard") : frozen();
    }

    private ShardResponse frozen() {
        return ShardResponse.of(ShardStatus.FROZEN, shard, servedBy(), null, maps.current().epoch(),
                "the shard is frozen for a reshard");
    }

    private ShardResponse answer(WriteOutcome outcome) {
        long epoch = maps.current().epoch();
        return switch (outcome) {
            case WriteOutcome.Written w -> ShardResponse.ok(shard, servedBy(), w.item(), w.created(), epoch);
            case WriteOutcome.Deleted d -> ShardResponse.ok(shard, servedBy(), d.tombstone(), false, epoch);
            case WriteOutcome.PreconditionFailed p ->
                ShardResponse.of(ShardStatus.PRECONDITION_FAILED, shard, servedBy(), p.current(), epoch, null);
            case WriteOutcome.NotFound n -> ShardResponse.of(ShardStatus.NOT_FOUND, shard, servedBy(), n.current(), epoch, null);
        };
    }

    private ShardResponse invalid(String detail) {
        return ShardResponse.of(ShardStatus.INVALID, shard, servedBy(), null, maps.current().epoch(), detail);
    }

    private String servedBy() {
        return shard + "/leader";
    }
}
