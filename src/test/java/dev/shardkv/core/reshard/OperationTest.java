package dev.shardkv.core.reshard;

import static dev.shardkv.core.reshard.Fixtures.RANGE;
import static dev.shardkv.core.reshard.Fixtures.map;
import static dev.shardkv.core.reshard.Fixtures.refused;
import static dev.shardkv.core.reshard.OperationState.ABORTED;
import static dev.shardkv.core.reshard.OperationState.CATCHING_UP;
import static dev.shardkv.core.reshard.OperationState.COPYING;
import static dev.shardkv.core.reshard.OperationState.CUTTING_OVER;
import static dev.shardkv.core.reshard.OperationState.DONE;
import static dev.shardkv.core.reshard.OperationState.FAILED;
import static dev.shardkv.core.reshard.OperationState.VERIFYING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An operation's phases: forward one at a time, aborted only before the cutover, failed until it ends. */
class OperationTest {
    static final long T0 = 1_764_571_200_000L;

    static Operation started() {
        Reshard plan = new ReshardPlanner(RANGE).split(map(RANGE), new SplitRequest("a-l", "g", null));
        return Operation.start(OperationIds.next(T0, new Random(1)), plan, T0);
    }

    /** The operation moved forward from copying until it is in {@code state} (done, failed, aborted: via copying). */
    static Operation in(OperationState state) {
        Operation op = started();
        if (state == FAILED) {
            return op.fail("boom", T0 + 1);
        }
        if (state == ABORTED) {
            return op.abort(T0 + 1);
        }
        while (op.state() != state) {
            op = op.advance(op.updatedAt() + 1);
        }
        return op;
    }

    @Test
    void aNewOperationCopiesAtVersionOneFromThePlansEpoch() {
        Operation op = started();
        assertThat(op.state()).isEqualTo(COPYING);
        assertThat(op.kind()).isEqualTo(OperationKind.SPLIT);
        assertThat(op.fromEpoch()).isEqualTo(1);
        assertThat(op.toEpoch()).isEqualTo(2);
        assertThat(op.version()).isEqualTo(1);
        assertThat(op.createdAt()).isEqualTo(T0).isEqualTo(op.updatedAt());
        assertThat(op.progress()).isEqualTo(Progress.NONE);
        assertThat(op.resume()).isEqualTo(Resume.NONE);
        assertThat(op.shards()).containsExactly("a-l", "a-f", "g-l");
        assertThat(op.isActive()).isTrue();
    }

    @Test
    void thePhasesRunForwardOneAtATimeToDone() {
        Operation op = started();
        List<OperationState> seen = new ArrayList<>(List.of(op.state()));
        while (op.isActive()) {
            op = op.advance(op.updatedAt() + 10);
            seen.add(op.state());
        }
        assertThat(seen).containsExactly(COPYING, CATCHING_UP, VERIFYING, CUTTING_OVER, DONE);
        assertThat(op.updatedAt()).isEqualTo(T0 + 40);
        assertThat(op.createdAt()).isEqualTo(T0);
        assertThat(op.version()).as("saves count versions, not transitions").isEqualTo(1);
    }

    @Test
    void everyPairOfStatesIsAllowedExactlyAsTheRulesSay() {
        Set<OperationState> abortable = EnumSet.of(COPYING, CATCHING_UP, VERIFYING);
        Set<OperationState> ended = EnumSet.of(DONE, FAILED, ABORTED);
        for (OperationState from : OperationState.values()) {
            for (OperationState to : OperationState.values()) {
                boolean legal = !ended.contains(from) && (to == from.next() || to == FAILED
                        || to == ABORTED && abortable.contains(from));
                assertThat(OperationKind.SPLIT.allows(from, to)).as(from + " -> " + to).isEqualTo(legal);
                assertThat(OperationKind.MERGE.allows(from, to)).as(from + " -> " + to).isEqualTo(legal);
                boolean verifyLegal = from == VERIFYING && (to == DONE || to == FAILED || to == ABORTED);
                assertThat(OperationKind.VERIFY.allows(from, to)).as("verify " + from + " -> " + to).isEqualTo(verifyLegal);
            }
        }
        assertThat(EnumSet.allOf(OperationState.class)).filteredOn(OperationState::isActive)
                .containsExactlyInAnyOrder(COPYING, CATCHING_UP, VERIFYING, CUTTING_OVER);
    }

    @Test
    void aVerificationStartsVerifyingAtOneEpochAndEndsDone() {
        Operation verify = Operation.verify("op-1764571200000-abcdefgh", List.of(), true, 7, T0);
        assertThat(verify.state()).isEqualTo(VERIFYING);
        assertThat(verify.fromEpoch()).isEqualTo(7);
        assertThat(verify.toEpoch()).as("a verification never moves the map").isEqualTo(7);
        assertThat(verify.result().repair()).isTrue();
        assertThat(verify.advance(T0 + 1).state()).isEqualTo(DONE);
        assertThat(Operation.parse(verify.toJson())).isEqualTo(verify);
    }

    @Test
    void abortingBeforeTheCutoverWorksFromEachPhase() {
        for (OperationState state : List.of(COPYING, CATCHING_UP, VERIFYING)) {
            Operation aborted = in(state).abort(T0 + 100);
            assertThat(aborted.state()).as("from " + state).isEqualTo(ABORTED);
            assertThat(aborted.isActive()).isFalse();
            assertThat(aborted.updatedAt()).isEqualTo(T0 + 100);
        }
    }

    @Test
    void abortingFromTheCutoverOnIsRefusedWith409() {
        Operation cutting = in(CUTTING_OVER);
        ShardKvException refusal = refused(() -> cutting.abort(T0 + 100), ProblemType.OPERATION_STATE, 409);
        assertThat(refusal.detail()).contains(cutting.id(), "cutting-over", "only before the cutover");
        assertThat(refusal.fields()).containsEntry("operation", cutting.id()).containsEntry("state", "cutting-over")
                .containsEntry("requested", "aborted");
        for (OperationState ended : List.of(DONE, FAILED, ABORTED)) {
            Operation op = in(ended);
            assertThat(refused(() -> op.abort(T0 + 100), ProblemType.OPERATION_STATE, 409).detail())
                    .as(ended.label()).contains("has ended");
        }
    }

    @Test
    void failingWorksUntilTheEndAndKeepsTheError() {
        for (OperationState state : List.of(COPYING, CATCHING_UP, VERIFYING, CUTTING_OVER)) {
            Operation failed = in(state).fail("target table missing", T0 + 100);
            assertThat(failed.state()).isEqualTo(FAILED);
            assertThat(failed.error()).isEqualTo("target table missing");
        }
        for (OperationState ended : List.of(DONE, FAILED, ABORTED)) {
            Operation op = in(ended);
            refused(() -> op.fail("again", T0 + 100), ProblemType.OPERATION_STATE, 409);
        }
    }

    @Test
    void anEndedOperationDoesNotMoveOrRecordAnything() {
        for (OperationState ended : List.of(DONE, FAILED, ABORTED)) {
            Operation op = in(ended);
            refused(() -> op.advance(T0 + 100), ProblemType.OPERATION_STATE, 409);
            refused(() -> op.withProgress(new Progress(1, 2, 0), 5L, T0 + 100), ProblemType.OPERATION_STATE, 409);
            refused(() -> op.withResume(Resume.NONE.withSegments(1), T0 + 100), ProblemType.OPERATION_STATE, 409);
            refused(() -> op.withWritePause(20, T0 + 100), ProblemType.OPERATION_STATE, 409);
        }
    }

    @Test
    void transitionsReturnNewRecordsAndLeaveTheOldOneAsItWas() {
        Operation op = started();
        Operation progressed = op.withProgress(new Progress(10, 100, 3), 9_000L, T0 + 5);
        Operation next = progressed.advance(T0 + 6);
        assertThat(op.progress()).isEqualTo(Progress.NONE);
        assertThat(op.state()).isEqualTo(COPYING);
        assertThat(next.progress()).isEqualTo(new Progress(10, 100, 3));
        assertThat(next.etaMs()).isEqualTo(9_000L);
        assertThat(next.state()).isEqualTo(CATCHING_UP);
    }

    @Test
    void anOperationThatEndsHasNoEta() {
        Operation op = in(CUTTING_OVER).withProgress(new Progress(100, 100, 0), 50L, T0 + 50);
        assertThat(op.advance(T0 + 60).etaMs()).isNull();
        assertThat(op.fail("x", T0 + 60).etaMs()).isNull();
        assertThat(in(VERIFYING).withProgress(Progress.NONE, 50L, T0 + 50).abort(T0 + 60).etaMs()).isNull();
    }

    @Test
    void theWritePauseIsKeptThroughTheEnd() {
        Operation done = in(CUTTING_OVER).withWritePause(180, T0 + 50).advance(T0 + 60);
        assertThat(done.writePauseMs()).isEqualTo(180L);
        assertThat(done.state()).isEqualTo(DONE);
    }
}
