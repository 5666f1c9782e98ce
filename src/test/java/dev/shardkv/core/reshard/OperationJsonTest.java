package dev.shardkv.core.reshard;

import static dev.shardkv.core.reshard.OperationTest.T0;
import static dev.shardkv.core.reshard.OperationTest.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.reshard.Resume.Cursor;
import org.junit.jupiter.api.Test;

/** An operation as the control table stores it: every field back as written, names as the admin API has them. */
class OperationJsonTest {
    static Operation busy() {
        Resume resume = Resume.NONE.withSegments(2).withCursor("a-l", 0, Cursor.DONE)
                .withCursor("a-l", 1, Cursor.after("kiwi")).withPosition("a-l", "shardId-00001", "4900000000000000000001");
        return started().withProgress(new Progress(1200, 5000, 0), 9_500L, T0 + 2_000)
                .withResume(resume, T0 + 2_000).advance(T0 + 9_000).withVersion(7);
    }

    @Test
    void everyFieldRoundTrips() {
        Operation op = busy().withProgress(new Progress(5000, 5000, 12), 400L, T0 + 10_000)
                .advance(T0 + 11_000).advance(T0 + 12_000).withWritePause(150, T0 + 12_500).fail("lost the race", T0 + 13_000);
        Operation read = Operation.parse(op.toJson());
        assertThat(read).isEqualTo(op);
        assertThat(read.toJson()).isEqualTo(op.toJson());
        assertThat(Operation.parse(busy().toJson())).isEqualTo(busy());
        assertThat(Operation.parse(started().toJson())).isEqualTo(started());
    }

    @Test
    void theExampleOperationReadsAsDocumented() {
        assertThat(busy().toJson()).isEqualTo(EXAMPLE);
    }

    @Test
    void statesAndKindsHaveTheApiNames() {
        assertThat(busy().toJson()).contains("\"kind\":\"split\"", "\"state\":\"catching-up\"");
        for (OperationState state : OperationState.values()) {
            assertThat(OperationState.parse(state.label())).isEqualTo(state);
            assertThat(state.label()).matches("[a-z]+(-[a-z]+)?");
        }
        Operation merge = Operation.parse(busy().toJson().replace("\"split\"", "\"merge\"")
                .replace("catching-up", "cutting-over"));
        assertThat(merge.kind()).isEqualTo(OperationKind.MERGE);
        assertThat(merge.state()).isEqualTo(OperationState.CUTTING_OVER);
    }

    @Test
    void absentOptionalsAreLeftOutAndReadAsNone() {
        String json = started().toJson();
        assertThat(json).doesNotContain("etaMs", "writePauseMs", "error", "copyCursors", "streamPositions", "active");
        assertThat(Operation.parse(json).resume()).isEqualTo(Resume.NONE);
    }

    @Test
    void fieldsFromANewerVersionAreIgnoredAndBrokenJsonIsRefused() {
        String newer = busy().toJson().replace("{\"id\"", "{\"owner\":\"runtime-2\",\"id\"");
        assertThat(Operation.parse(newer)).isEqualTo(busy());
        assertThatThrownBy(() -> Operation.parse("{\"id\":")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Operation.parse(busy().toJson().replace("catching-up", "sleeping")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A split of a-l at "g" in catching-up, its copy resumable per segment, its catch-up per stream shard. */
    static final String EXAMPLE = """
            {"id":"op-1764571200000-xdnngbkv","kind":"split","state":"catching-up",\
            "sources":[{"id":"a-l","end":"m","leader":"test-a-l-leader","replicas":["test-a-l-replica-1","test-a-l-replica-2"]}],\
            "targets":[{"id":"a-f","end":"g","leader":"test-a-f-leader","replicas":["test-a-f-replica-1","test-a-f-replica-2"]},\
            {"id":"g-l","start":"g","end":"m","leader":"test-g-l-leader","replicas":["test-g-l-replica-1","test-g-l-replica-2"]}],\
            "fromEpoch":1,"toEpoch":2,"progress":{"copied":1200,"total":5000,"behind":0},"etaMs":9500,\
            "createdAt":1764571200000,"updatedAt":1764571209000,"version":7,\
            "resume":{"segments":2,"copyCursors":{"a-l":{"0":{"done":true},"1":{"after":"kiwi"}}},\
            "streamPositions":{"a-l":{"shardId-00001":"4900000000000000000001"}}}}""";
}
