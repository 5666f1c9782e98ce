package dev.shardkv.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.store.VerificationStore;
import dev.shardkv.core.testing.Maps;
import dev.shardkv.core.testing.MemoryVerifications;
import dev.shardkv.core.testing.MutableClock;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.verify.LastVerification;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The gateway's copy of the last verifications: re-read at most once a second, only for the map's replicas;
 * a divergent replica is in the set until a verification clears it; an unreadable store keeps the copy.
 */
class LastVerificationsTest {
    final MutableClock clock = new MutableClock(1_764_571_200_000L);
    final MemoryVerifications store = new MemoryVerifications();
    final ShardMap map = Maps.epoch1();
    final String replica = map.shards().getFirst().replicaTable(1);
    final LastVerifications last = new LastVerifications(store, () -> map, clock);

    @Test
    void readAtMostOnceASecondAndEmptyWhenNothingWasVerified() {
        for (int i = 0; i < 50; i++) {
            assertThat(last.divergent()).isEmpty();
        }
        assertThat(store.reads()).isEqualTo(1);
        clock.advance(999);
        last.divergent();
        assertThat(store.reads()).isEqualTo(1);
        clock.advance(1);
        last.divergent();
        assertThat(store.reads()).isEqualTo(2);
    }

    @Test
    void aDivergentReplicaIsHeldUntilAVerificationClearsIt() {
        String shard = map.shards().getFirst().id();
        store.record(new LastVerification(shard, replica, 1, 1, 1, 1, 0, "op-1"));
        assertThat(last.divergent()).containsExactly(replica);
        assertThat(last.of(replica)).map(LastVerification::unrepaired).hasValue(3L);

        store.record(new LastVerification(shard, replica, 2, 1, 1, 1, 3, "op-2")); // repaired everything
        assertThat(last.divergent()).as("not re-read within the second").containsExactly(replica);
        clock.advance(LastVerifications.MAX_AGE.toMillis());
        assertThat(last.divergent()).isEmpty();
        assertThat(last.of(replica)).map(LastVerification::operation).hasValue("op-2");
    }

    @Test
    void onlyTheMapsReplicasAreAskedFor() {
        store.record(new LastVerification("gone", "kv-gone-replica-1", 1, 0, 5, 0, 0, "op-1"));
        assertThat(last.divergent()).as("a replica no longer in the map").isEmpty();
        assertThat(last.of("kv-gone-replica-1")).isEmpty();
    }

    @Test
    void anUnreadableStoreKeepsTheCopyAndIsTriedAgainLater() {
        AtomicBoolean down = new AtomicBoolean();
        VerificationStore flaky = new VerificationStore() {
            @Override
            public void record(LastVerification v) {
                store.record(v);
            }

            @Override
            public Map<String, LastVerification> last(Collection<String> tables) {
                if (down.get()) {
                    throw new IllegalStateException("throttled");
                }
                return store.last(tables);
            }

            @Override
            public void forget(String table) {
                store.forget(table);
            }
        };
        LastVerifications view = new LastVerifications(flaky, () -> map, clock);
        flaky.record(new LastVerification("a-l", replica, 1, 0, 1, 0, 0, "op-1"));
        assertThat(view.divergent()).containsExactly(replica);

        down.set(true);
        clock.advance(1_000);
        assertThat(view.divergent()).as("still held back").containsExactly(replica);
        down.set(false);
        flaky.forget(replica);
        assertThat(view.divergent()).as("tried again a second later, not at once").containsExactly(replica);
        clock.advance(1_000);
        assertThat(view.divergent()).isEmpty();
    }
}
