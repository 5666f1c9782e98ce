package dev.shardkv.core.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.Topology;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Topologies to reshard, and a check that a refusal has the type (and so the status) it should. */
final class Fixtures {
    /** The README's three range shards, with different replica counts to tell them apart. */
    static final Topology RANGE = Topology.parse("""
            {"prefix": "test", "shards": [
              {"id": "a-l", "end": "m", "replicas": 2},
              {"id": "m-s", "start": "m", "end": "t", "replicas": 3},
              {"id": "t-z", "start": "t", "replicas": 1}]}""");
    static final Topology HASH = Topology.parse("""
            {"prefix": "kv", "routing": "hash", "shards": [
              {"id": "00-3f", "end": "4", "replicas": 1},
              {"id": "40-7f", "start": "4", "end": "8", "replicas": 2},
              {"id": "80-ff", "start": "8", "replicas": 1}]}""");
    static final Topology WHOLE = Topology.parse("""
            {"prefix": "kv", "routing": "hash", "shards": [{"id": "all", "replicas": 2}]}""");

    private Fixtures() {
    }

    static ShardMap map(Topology topology) {
        return ShardMap.initial(topology);
    }

    static ShardKvException refused(ThrowingCallable call, ProblemType type, int status) {
        ShardKvException refusal = catchThrowableOfType(ShardKvException.class, call);
        assertThat(refusal).as("a refusal").isNotNull();
        assertThat(refusal.type()).isEqualTo(type);
        assertThat(refusal.type().status()).isEqualTo(status);
        return refusal;
    }

    static List<String> ids(List<ShardEntry> shards) {
        return shards.stream().map(ShardEntry::id).toList();
    }

    /** Every shard starts where the one before ends, from unbounded to unbounded: each key has one shard. */
    static void assertCovers(ShardMap map) {
        List<ShardEntry> shards = map.shards();
        assertThat(shards.getFirst().start()).isNull();
        assertThat(shards.getLast().end()).isNull();
        for (int i = 1; i < shards.size(); i++) {
            assertThat(shards.get(i).start()).as("start of " + shards.get(i).id()).isEqualTo(shards.get(i - 1).end());
        }
    }
}
