package dev.shardkv.core.tx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.kv.StoredItem;
import org.junit.jupiter.api.Test;

/** The client conditions of transaction operations, against what the leader holds. */
class TransactorRulesTest {
    static final StoredItem LIVE_V3 = StoredItem.live("k", "1", 3, 1);
    static final StoredItem DELETED_V4 = StoredItem.tombstone("k", 4, 1, 9);

    @Test
    void putsAndChecks() {
        for (TxKind kind : new TxKind[] {TxKind.PUT, TxKind.CHECK}) {
            assertThat(Transactor.violation(new TxOp(kind, "k", "1", 3L), LIVE_V3)).isNull();
            assertThat(Transactor.violation(new TxOp(kind, "k", "1", 2L), LIVE_V3)).isEqualTo("the key is at version 3");
            assertThat(Transactor.violation(new TxOp(kind, "k", "1", 0L), null)).isNull();
            assertThat(Transactor.violation(new TxOp(kind, "k", "1", 0L), DELETED_V4)).as("deleted counts as absent").isNull();
            assertThat(Transactor.violation(new TxOp(kind, "k", "1", 0L), LIVE_V3)).contains("exists");
            assertThat(Transactor.violation(new TxOp(kind, "k", "1", 4L), DELETED_V4)).isEqualTo("the key does not exist");
        }
        assertThat(Transactor.violation(new TxOp(TxKind.PUT, "k", "1", null), DELETED_V4)).isNull();
    }

    @Test
    void deletesNeedALiveKey() {
        assertThat(Transactor.violation(new TxOp(TxKind.DELETE, "k", null, null), LIVE_V3)).isNull();
        assertThat(Transactor.violation(new TxOp(TxKind.DELETE, "k", null, 3L), LIVE_V3)).isNull();
        assertThat(Transactor.violation(new TxOp(TxKind.DELETE, "k", null, 2L), LIVE_V3)).isEqualTo("the key is at version 3");
        assertThat(Transactor.violation(new TxOp(TxKind.DELETE, "k", null, null), DELETED_V4)).isEqualTo("the key does not exist");
        assertThat(Transactor.violation(new TxOp(TxKind.DELETE, "k", null, null), null)).isEqualTo("the key does not exist");
    }
}
