package dev.shardkv.core.reshard;

import static dev.shardkv.core.reshard.Refusals.invalid;
import static dev.shardkv.core.reshard.Refusals.quote;

import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a split or merge against the current shard map and plans it: the new shards, their tables
 * (named by the topology, as every table is) and the next map. Plans only; moving data is not its job.
 * Every refusal is a {@link dev.shardkv.core.error.ShardKvException} whose detail names the value and
 * the rule: 404 unknown-shard, 400 invalid-reshard, 409 shard-exists.
 */
public final class ReshardPlanner {
    private final Topology topology;

    public ReshardPlanner(Topology topology) {
        this.topology = topology;
    }

    /** One shard becomes two at {@code at}; the halves keep the source's replica count. */
    public Reshard split(ShardMap map, SplitRequest request) {
        if (request == null) {
            throw invalid("A split names the shard to split in \"shard\".", "shard", null);
        }
        ShardEntry source = live(map, request.shard(), "shard");
        SplitPoint at = SplitPoint.of(map.routing(), source, request.at());
        List<String> ids = new ShardIds(map).split(source, at, request.ids());
        int replicas = source.replicaCount();
        List<ShardEntry> targets = List.of(entry(ids.get(0), source.start(), at.bound(), replicas),
                entry(ids.get(1), at.bound(), source.end(), replicas));
        return plan(OperationKind.SPLIT, map, List.of(source), targets);
    }

    /** Two adjacent shards, named in either order, become one with the larger replica count. */
    public Reshard merge(ShardMap map, MergeRequest request) {
        if (request == null || request.shards() == null || request.shards().size() != 2) {
            int given = request == null || request.shards() == null ? 0 : request.shards().size();
            throw invalid("\"shards\" must list exactly 2 shard ids for a merge: %d given.".formatted(given),
                    "shards", request == null ? null : request.shards());
        }
        List<String> named = request.shards();
        if (named.get(0) != null && named.get(0).equals(named.get(1))) {
            throw invalid("\"shards\" names %s twice; a merge takes two different shards."
                    .formatted(quote(named.get(0))), "shards", named);
        }
        ShardEntry a = live(map, named.get(0), "shards");
        ShardEntry b = live(map, named.get(1), "shards");
        boolean inOrder = map.shards().indexOf(a) < map.shards().indexOf(b);
        ShardEntry first = inOrder ? a : b;
        ShardEntry second = inOrder ? b : a;
        requireAdjacent(map, first, second);
        String id = new ShardIds(map).merge(first, second, request.id());
        int replicas = Math.max(first.replicaCount(), second.replicaCount());
        ShardEntry target = entry(id, first.start(), second.end(), replicas);
        return plan(OperationKind.MERGE, map, List.of(first, second), List.of(target));
    }

    /** The shard gains a replica, numbered after its last, its table named by the topology. */
    public Reshard addReplica(ShardMap map, String shard) {
        ShardEntry source = live(map, shard, "shard");
        int next = source.replicaCount() + 1;
        if (next > Topology.MAX_REPLICAS) {
            throw invalid("Shard %s has %d replicas, the most a shard can have."
                    .formatted(quote(source.id()), source.replicaCount()), "shard", source.id());
        }
        List<String> tables = new ArrayList<>(source.replicas());
        tables.add(topology.replicaTable(source.id(), next));
        return replicas(OperationKind.ADD_REPLICA, map, source, tables);
    }

    /**
     * The shard loses its last replica. Replicas are numbered by position (reads and watermarks name them so):
     * removing one before the last would renumber the others under readers holding the old map, so only the
     * last may go, and a shard keeps at least one.
     */
    public Reshard removeReplica(ShardMap map, String shard, int replica) {
        ShardEntry source = live(map, shard, "shard");
        int count = source.replicaCount();
        if (replica < 1 || replica > count) {
            throw Refusals.unknownReplica(source, String.valueOf(replica));
        }
        if (count == 1) {
            throw invalid("Shard %s has one replica; a shard keeps at least one.".formatted(quote(source.id())),
                    "replica", replica);
        }
        if (replica != count) {
            throw invalid(("Only the last replica of shard %s, %d, can be removed: replicas are numbered by position,"
                    + " and removing %d would renumber the ones after it under readers that hold the old map.")
                    .formatted(quote(source.id()), count, replica), "replica", replica);
        }
        return replicas(OperationKind.REMOVE_REPLICA, map, source, source.replicas().subList(0, count - 1));
    }

    private static Reshard replicas(OperationKind kind, ShardMap map, ShardEntry source, List<String> tables) {
        ShardEntry target = new ShardEntry(source.id(), source.start(), source.end(), source.leader(), tables);
        return new Reshard(kind, List.of(source), List.of(target), withShard(map, source, target));
    }

    /** The next map: epoch + 1, one shard's entry replaced (its replicas changed), the lineage as it was. */
    static ShardMap withShard(ShardMap map, ShardEntry source, ShardEntry target) {
        List<ShardEntry> shards = map.shards().stream().map(s -> s.equals(source) ? target : s).toList();
        if (!shards.contains(target)) {
            throw new IllegalStateException("shard " + source.id() + " is not in the map at epoch " + map.epoch()
                    + " as it was planned: " + map.shard(source.id()).orElse(null));
        }
        return new ShardMap(map.epoch() + 1, map.routing(), shards, map.successors());
    }

    private static ShardEntry live(ShardMap map, String id, String field) {
        if (id == null) {
            throw invalid("\"%s\" must name a shard: null is not a shard id.".formatted(field), field, null);
        }
        return map.shard(id).orElseThrow(() -> Refusals.unknown(map, id));
    }

    /** In a valid map, shards are listed in range order, each starting where the one before ends. */
    private static void requireAdjacent(ShardMap map, ShardEntry first, ShardEntry second) {
        boolean next = map.shards().indexOf(second) == map.shards().indexOf(first) + 1;
        if (!next || first.end() == null || !first.end().equals(second.start())) {
            throw invalid("%s and %s are not adjacent: %s ends at %s, %s starts at %s; a merge takes two shards"
                    .formatted(quote(first.id()), quote(second.id()), first.id(), bound(first.end(), "+inf"),
                            second.id(), bound(second.start(), "-inf"))
                    + " where one ends and the other starts, so that the result is one range.",
                    "shards", List.of(first.id(), second.id()));
        }
    }

    private static String bound(String bound, String unbounded) {
        return bound == null ? unbounded : quote(bound);
    }

    private ShardEntry entry(String id, String start, String end, int replicas) {
        List<String> tables = new ArrayList<>();
        for (int n = 1; n <= replicas; n++) {
            tables.add(topology.replicaTable(id, n));
        }
        return new ShardEntry(id, start, end, topology.leaderTable(id), tables);
    }

    /** The next map: epoch + 1, the sources' place in range order taken by the targets. */
    private static Reshard plan(OperationKind kind, ShardMap map, List<ShardEntry> sources, List<ShardEntry> targets) {
        List<ShardEntry> shards = new ArrayList<>();
        for (ShardEntry shard : map.shards()) {
            if (shard.equals(sources.get(0))) {
                shards.addAll(targets);
            } else if (!sources.contains(shard)) {
                shards.add(shard);
            }
        }
        ShardMap next = new ShardMap(map.epoch() + 1, map.routing(), shards,
                Lineage.after(map.successors(), sources, targets));
        return new Reshard(kind, sources, targets, next);
    }
}
