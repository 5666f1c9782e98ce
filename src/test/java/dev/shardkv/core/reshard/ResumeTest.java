package dev.shardkv.core.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.reshard.Resume.Cursor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resume data: per source and segment how far the copy got, per source and stream shard where catch-up is. */
class ResumeTest {
    @Test
    void aSegmentWithoutACursorStartsFromTheBeginning() {
        Resume resume = Resume.NONE.withSegments(2).withCursor("a-l", 1, Cursor.after("k7"));
        assertThat(resume.cursor("a-l", 0)).isEmpty();
        assertThat(resume.cursor("a-l", 1)).contains(Cursor.after("k7"));
        assertThat(resume.cursor("m-s", 1)).isEmpty();
    }

    @Test
    void theCopyIsDoneWhenEverySegmentOfEverySourceIs() {
        Resume resume = Resume.NONE.withSegments(2);
        assertThat(Resume.NONE.copied(List.of("a"))).as("not started").isFalse();
        resume = resume.withCursor("a", 0, Cursor.DONE).withCursor("a", 1, Cursor.DONE).withCursor("b", 0, Cursor.DONE);
        assertThat(resume.copied(List.of("a"))).isTrue();
        assertThat(resume.copied(List.of("a", "b"))).isFalse();
        assertThat(resume.withCursor("b", 1, Cursor.after("x")).copied(List.of("a", "b"))).isFalse();
        assertThat(resume.withCursor("b", 1, Cursor.DONE).copied(List.of("a", "b"))).isTrue();
    }

    @Test
    void aKeyNamedDoneIsAKeyNotTheEnd() {
        Resume resume = Resume.NONE.withSegments(1).withCursor("a", 0, Cursor.after("done"));
        assertThat(resume.copied(List.of("a"))).isFalse();
        Resume read = Operation.parse(OperationTest.started().withResume(resume, 1).toJson()).resume();
        assertThat(read.cursor("a", 0)).contains(Cursor.after("done"));
    }

    @Test
    void theSegmentCountIsFixedOnceACursorIsSaved() {
        Resume resume = Resume.NONE.withSegments(4);
        assertThat(resume.withSegments(2).segments()).as("nothing saved yet").isEqualTo(2);
        Resume started = resume.withCursor("a", 3, Cursor.after("k"));
        assertThat(started.withSegments(4)).isEqualTo(started);
        assertThatThrownBy(() -> started.withSegments(8)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> started.withCursor("a", 4, Cursor.DONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Resume.NONE.withCursor("a", 0, Cursor.DONE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamPositionsAdvancePerSourceAndStreamShard() {
        Resume resume = Resume.NONE.withPosition("a", "shardId-1", "100").withPosition("a", "shardId-2", "205")
                .withPosition("b", "shardId-9", "7").withPosition("a", "shardId-1", "180");
        assertThat(resume.positions("a")).isEqualTo(Map.of("shardId-1", "180", "shardId-2", "205"));
        assertThat(resume.positions("b")).isEqualTo(Map.of("shardId-9", "7"));
        assertThat(resume.positions("c")).isEmpty();
    }

    @Test
    void aCursorIsEitherAfterAKeyOrDone() {
        assertThatThrownBy(() -> new Cursor(null, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Cursor("k", true)).isInstanceOf(IllegalArgumentException.class);
    }
}
