package dev.shardkv.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shardkv.core.error.ProblemType;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationIds;
import dev.shardkv.core.reshard.OperationKind;
import dev.shardkv.core.reshard.Progress;
import dev.shardkv.core.reshard.Reshard;
import dev.shardkv.core.reshard.Resume;
import dev.shardkv.core.store.OperationStore;
import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link OperationStore} promises, run against each one by a subclass: reads return what was
 * stored, newest first; a save from a stale copy loses; one operation at a time per shard, the loser told
 * who holds it; a create is all or nothing; a release frees the shards and only once the operation ended.
 */
public abstract class OperationStoreContract {
    private final Random random = new Random(11);
    private long now = 1_764_571_200_000L;
    private OperationStore store;

    /** An empty store, for one test. */
    protected abstract OperationStore newStore();

    @BeforeEach
    void fresh() {
        store = newStore();
    }

    @Test
    void aCreatedOperationReadsBackAsStoredAndLocksEveryShardItTouches() {
        Operation split = split("a", "a1", "a2");
        Operation merge = merge("b", "c", "bc");
        store.create(split);
        store.create(merge);

        assertThat(store.get(split.id())).contains(split);
        assertThat(store.get(merge.id())).contains(merge);
        assertThat(store.locks()).isEqualTo(Map.of("a", split.id(), "a1", split.id(), "a2", split.id(),
                "b", merge.id(), "c", merge.id(), "bc", merge.id()));
        assertThat(store.get(OperationIds.next(now, random))).isEmpty();
    }

    @Test
    void theListIsNewestFirst() {
        Operation first = split("a", "a1", "a2");
        Operation second = merge("b", "c", "bc");
        Operation third = split("d", "d1", "d2");
        store.create(second);
        store.create(third);
        store.create(first);

        assertThat(store.list()).containsExactly(third, second, first);
    }

    @Test
    void theListStopsAtTheLimitLeavingTheOldestOut() {
        List<Operation> created = new ArrayList<>();
        for (int i = 0; i <= OperationStore.LIST_LIMIT; i++) {
            created.add(split("s" + i, "s" + i + "-1", "s" + i + "-2"));
            store.create(created.getLast());
        }
        List<Operation> listed = store.list();
        assertThat(listed).hasSize(OperationStore.LIST_LIMIT);
        assertThat(listed.getFirst()).isEqualTo(created.getLast());
        assertThat(listed.getLast()).isEqualTo(created.get(1));
        assertThat(listed).doesNotContain(created.getFirst());
    }

    @Test
    void aSaveStoresTheNextVersionAndReturnsIt() {
        Operation created = split("a", "a1", "a2");
        store.create(created);
        Resume resume = Resume.NONE.withSegments(2).withCursor("a", 0, Resume.Cursor.after("k9"));

        Operation saved = store.save(created.withProgress(new Progress(10, 40, 0), 3_000L, tick()).withResume(resume, now));
        assertThat(saved.version()).isEqualTo(2);
        assertThat(store.get(created.id())).contains(saved);

        Operation again = store.save(saved.advance(tick()));
        assertThat(again.version()).isEqualTo(3);
        assertThat(store.get(created.id()).orElseThrow().resume()).isEqualTo(resume);
    }

    @Test
    void aSaveFromAStaleCopyIsRefusedAndTheStoredOneStays() {
        Operation created = split("a", "a1", "a2");
        store.create(created);
        Operation engine = store.get(created.id()).orElseThrow();
        Operation admin = store.get(created.id()).orElseThrow();
        Operation progressed = store.save(engine.withProgress(new Progress(5, 10, 0), null, tick()));

        ShardKvException lost = refused(() -> store.save(admin.abort(tick())), ProblemType.CONFLICT);
        assertThat(lost.fields()).containsEntry("operation", created.id()).containsEntry("version", 1L);
        assertThat(store.get(created.id())).contains(progressed);

        Operation retried = store.save(store.get(created.id()).orElseThrow().abort(tick()));
        assertThat(retried.state().label()).isEqualTo("aborted");
    }

    @Test
    void aSaveNeverCreates() {
        Operation never = split("a", "a1", "a2");
        refused(() -> store.save(never), ProblemType.CONFLICT);
        assertThat(store.get(never.id())).isEmpty();
        assertThat(store.locks()).isEmpty();
    }

    @Test
    void aSecondOperationOnALockedShardIsRefusedNamingTheHolder() {
        Operation holder = split("a", "a1", "a2");
        store.create(holder);
        Operation second = merge("z", "a", "za");

        ShardKvException refusal = refused(() -> store.create(second), ProblemType.OPERATION_CONFLICT);
        assertThat(refusal.type().status()).isEqualTo(409);
        assertThat(refusal.fields()).containsEntry("shard", "a").containsEntry("operation", holder.id())
                .containsEntry("refused", second.id());
        assertThat(refusal.detail()).contains("\"a\"", holder.id());
        assertThat(store.get(second.id())).isEmpty();
        assertThat(store.locks()).as("nothing of the refused one").containsOnlyKeys("a", "a1", "a2");
    }

    @Test
    void aNewShardIdIsLockedTooSoTwoOperationsCannotCreateOneShard() {
        Operation holder = split("a", "x", "y");
        store.create(holder);

        ShardKvException refusal = refused(() -> store.create(split("b", "x", "z")), ProblemType.OPERATION_CONFLICT);
        assertThat(refusal.fields()).containsEntry("shard", "x").containsEntry("operation", holder.id());
        assertThat(store.locks()).containsOnlyKeys("a", "x", "y");
    }

    @Test
    void releasedLocksLetANewOperationInAndASecondReleaseLeavesItsLocksAlone() {
        Operation first = split("a", "a1", "a2");
        store.create(first);
        Operation aborted = store.save(first.abort(tick()));
        store.release(aborted);
        assertThat(store.locks()).isEmpty();

        Operation next = split("a", "a3", "a4");
        store.create(next);
        store.release(aborted);
        assertThat(store.locks()).isEqualTo(Map.of("a", next.id(), "a3", next.id(), "a4", next.id()));
    }

    @Test
    void aRunningOperationKeepsItsLocks() {
        Operation running = split("a", "a1", "a2");
        store.create(running);
        assertThatThrownBy(() -> store.release(running)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.locks()).containsOnlyKeys("a", "a1", "a2");
    }

    @Test
    void aCreateIsAllOrNothingWhenTheIdIsTaken() {
        Operation first = split("a", "a1", "a2");
        store.create(first);
        Operation other = merge("b", "c", "bc");
        Operation sameId = new Operation(first.id(), other.kind(), other.state(), other.sources(), other.targets(),
                other.fromEpoch(), other.toEpoch(), other.progress(), null, null, null, null, now, now, 1, other.resume());

        refused(() -> store.create(sameId), ProblemType.CONFLICT);
        assertThat(store.get(first.id())).contains(first);
        assertThat(store.locks()).as("no lock of the refused one").containsOnlyKeys("a", "a1", "a2");
        store.create(merge("b", "c", "bc"));
        assertThat(store.locks()).containsKeys("b", "c", "bc");
    }

    @Test
    void aRetriedCreateOfTheSameOperationChangesNothing() {
        Operation op = split("a", "a1", "a2");
        store.create(op);
        store.create(op);
        assertThat(store.list()).containsExactly(op);
        assertThat(store.locks()).isEqualTo(Map.of("a", op.id(), "a1", op.id(), "a2", op.id()));
    }

    @Test
    void ofConcurrentCreatesOnOneShardExactlyOneGetsIn() throws Exception {
        List<Operation> contenders = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            contenders.add(split("hot", "hot-" + i + "a", "hot-" + i + "b"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(contenders.size());
        List<Future<ShardKvException>> results = new ArrayList<>();
        for (Operation contender : contenders) {
            results.add(pool.submit((Callable<ShardKvException>) () -> catchThrowableOfType(ShardKvException.class,
                    () -> store.create(contender))));
        }
        List<ShardKvException> refusals = new ArrayList<>();
        for (Future<ShardKvException> result : results) {
            if (result.get() != null) {
                refusals.add(result.get());
            }
        }
        pool.shutdown();

        assertThat(refusals).hasSize(contenders.size() - 1)
                .allSatisfy(r -> assertThat(r.type()).isEqualTo(ProblemType.OPERATION_CONFLICT));
        String winner = store.locks().get("hot");
        assertThat(contenders).filteredOn(c -> store.get(c.id()).isPresent()).extracting(Operation::id)
                .containsExactly(winner);
        assertThat(refusals).filteredOn(r -> r.fields().containsKey("operation"))
                .allSatisfy(r -> assertThat(r.fields()).containsEntry("operation", winner));
    }

    @Test
    void anAbortRequestIsReadByItsOperationOnly() {
        Operation first = split("a-l", "a-f", "g-l");
        Operation second = split("m-s", "m-o", "p-s");
        store.create(first);
        store.create(second);
        assertThat(store.abortRequested(first.id())).isFalse();
        store.requestAbort(first.id());
        store.requestAbort(first.id()); // asking twice is asking once
        assertThat(store.abortRequested(first.id())).isTrue();
        assertThat(store.abortRequested(second.id())).isFalse();
        assertThat(store.list()).as("a request is not an operation").hasSize(2);
    }

    @Test
    void theLeaseHasOneHolderUntilItLapsesOrIsGivenBack() {
        assertThat(store.lease("one", 1_000, 5_000)).isTrue();
        assertThat(store.lease("two", 4_999, 9_000)).as("held until 5000").isFalse();
        assertThat(store.lease("one", 4_000, 8_000)).as("its holder extends it").isTrue();
        assertThat(store.lease("two", 7_000, 9_000)).isFalse();
        assertThat(store.lease("two", 8_001, 9_000)).as("lapsed").isTrue();
        store.unlease("one"); // no longer its: changes nothing
        assertThat(store.lease("one", 8_500, 9_500)).isFalse();
        store.unlease("two");
        assertThat(store.lease("one", 8_500, 9_500)).as("given back").isTrue();
    }

    /** A split of {@code source} into {@code left} and {@code right}, a millisecond after the one before. */
    protected Operation split(String source, String left, String right) {
        return start(OperationKind.SPLIT, List.of(Maps.entry(source, null, "m")),
                List.of(Maps.entry(left, null, "g"), Maps.entry(right, "g", "m")));
    }

    /** A merge of {@code first} and {@code second} into {@code merged}, a millisecond after the one before. */
    protected Operation merge(String first, String second, String merged) {
        return start(OperationKind.MERGE, List.of(Maps.entry(first, null, "g"), Maps.entry(second, "g", "m")),
                List.of(Maps.entry(merged, null, "m")));
    }

    private Operation start(OperationKind kind, List<ShardEntry> sources, List<ShardEntry> targets) {
        Reshard plan = new Reshard(kind, sources, targets, new ShardMap(4, RoutingMode.RANGE, targets));
        return Operation.start(OperationIds.next(tick(), random), plan, now);
    }

    private long tick() {
        return ++now;
    }

    private static ShardKvException refused(ThrowingCallable call, ProblemType type) {
        ShardKvException refusal = catchThrowableOfType(ShardKvException.class, call);
        assertThat(refusal).as("a refusal").isNotNull();
        assertThat(refusal.type()).isEqualTo(type);
        return refusal;
    }
}
