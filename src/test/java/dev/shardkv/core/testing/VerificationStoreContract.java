package dev.shardkv.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.verify.LastVerification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link VerificationStore} promises, run against each one by a subclass: one last verification per
 * replica table, the next one replacing it, read back exactly for the tables asked (however many), forgotten on
 * demand.
 */
public abstract class VerificationStoreContract {
    private VerificationStore store;

    /** An empty store, for one test. */
    protected abstract VerificationStore newStore();

    @BeforeEach
    void setUp() {
        store = newStore();
    }

    @Test
    void nothingIsFoundBeforeAnythingIsRecorded() {
        assertThat(store.last(List.of("kv-a-l-replica-1"))).isEmpty();
        assertThat(store.last(List.of())).isEmpty();
    }

    @Test
    void whatIsRecordedIsReadBackForTheTablesAskedOnly() {
        LastVerification one = found("a-l", "kv-a-l-replica-1", 1, 2, 1, 0, "op-1");
        LastVerification two = found("a-l", "kv-a-l-replica-2", 0, 0, 0, 0, "op-1");
        store.record(one);
        store.record(two);
        store.record(found("m-s", "kv-m-s-replica-1", 0, 0, 0, 0, "op-1"));

        Map<String, LastVerification> last = store.last(List.of("kv-a-l-replica-1", "kv-a-l-replica-2", "kv-t-z-replica-1"));
        assertThat(last).containsOnly(Map.entry("kv-a-l-replica-1", one), Map.entry("kv-a-l-replica-2", two));
        assertThat(last.get("kv-a-l-replica-1").unrepaired()).isEqualTo(4);
        assertThat(store.last(List.of("kv-a-l-replica-1", "kv-a-l-replica-1"))).as("a table named twice")
                .containsOnlyKeys("kv-a-l-replica-1");
    }

    @Test
    void aLaterVerificationOfTheSameReplicaReplacesIt() {
        store.record(found("a-l", "kv-a-l-replica-1", 1, 2, 1, 0, "op-1"));
        LastVerification repaired = found("a-l", "kv-a-l-replica-1", 1, 2, 1, 4, "op-2");
        store.record(repaired);

        assertThat(store.last(List.of("kv-a-l-replica-1"))).containsExactly(Map.entry("kv-a-l-replica-1", repaired));
        assertThat(repaired.divergent()).isFalse();
    }

    @Test
    void aForgottenReplicaHasNoneAndForgettingTwiceIsHarmless() {
        store.record(found("a-l", "kv-a-l-replica-1", 0, 1, 0, 0, "op-1"));
        store.forget("kv-a-l-replica-1");
        store.forget("kv-a-l-replica-1");
        store.forget("kv-never-replica-1");

        assertThat(store.last(List.of("kv-a-l-replica-1"))).isEmpty();
    }

    @Test
    void manyReplicasAreReadInOneCall() {
        List<String> tables = new ArrayList<>();
        for (int i = 0; i < 130; i++) { // more than one BatchGetItem takes
            String table = "kv-s" + i + "-replica-1";
            tables.add(table);
            store.record(found("s" + i, table, i % 2, 0, 0, 0, "op-" + i));
        }
        Map<String, LastVerification> last = store.last(tables);
        assertThat(last).hasSize(130);
        assertThat(last.values().stream().filter(LastVerification::divergent)).hasSize(65);
        assertThat(last.get("kv-s7-replica-1").operation()).isEqualTo("op-7");
    }

    static LastVerification found(String shard, String table, long missing, long different, long extra, long repaired,
            String operation) {
        return new LastVerification(shard, table, 1_764_571_200_000L, missing, different, extra, repaired, operation);
    }
}
