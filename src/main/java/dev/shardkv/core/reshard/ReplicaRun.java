package dev.shardkv.core.reshard;

import dev.shardkv.core.replication.Watermark;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.store.ReplicaStore;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.verify.LastVerification;
import dev.shardkv.core.verify.ReplicaVerifier;
import dev.shardkv.core.verify.VerifyReport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica added to or removed from a shard, driven on its own thread.
 *
 * <p>Added: the shard's replicator starts feeding the new table first ({@link ShardHost#openReplica}), and the
 * run waits until it sees the replicator's watermark on that table pass the operation's start: from then on every
 * committed write reaches the table by the stream. Only then does it copy a consistent scan of the leader into
 * it, versions kept and by the apply rule, so the copy and the stream can meet in any order and the newer version
 * stays (copying; this is joining the stream at a position taken before the copy). Catching-up waits until the
 * table's watermark covers the end of the copy; verifying compares it with the leader and fails on any
 * difference; cutting-over publishes the map with the replica in it, so no read reaches it before all that.
 *
 * <p>Removed: the map without the replica goes out first (cutting-over), so reads stop; its table is dropped once
 * the grace for readers holding the old map has passed.
 */
final class ReplicaRun implements Run {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaRun.class);

    /** Thrown out of a phase when the run must stop where it is. */
    private static final class Halt extends RuntimeException {
        Halt() {
            super(null, null, false, false);
        }
    }

    private final Resharder.Context context;
    private final Consumer<String> ended;
    private final Retirements retirements;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread thread;
    private final Object saving = new Object();
    private volatile boolean abortRequested;
    private volatile boolean stopping;
    private Operation operation;
    private long copiedHere;
    private long startedMs;
    private long lastSave;

    ReplicaRun(Resharder.Context context, Operation operation, Consumer<String> ended, Retirements retirements) {
        this.context = context;
        this.operation = operation;
        this.ended = ended;
        this.retirements = retirements;
        this.thread = Thread.ofVirtual().name("replica-" + operation.id()).unstarted(this::run);
    }

    @Override
    public void start() {
        thread.start();
    }

    @Override
    public Operation abort() {
        abortRequested = true;
        try {
            finished.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return context.operations().get(operation.id()).orElseThrow();
    }

    /** Aborts an operation that no run drives. */
    Operation abortIdle() {
        end(operation.abort(now()));
        return operation;
    }

    @Override
    public boolean stop(long waitMs) {
        stopping = true;
        try {
            thread.join(Math.max(1, waitMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private void run() {
        try {
            phases();
        } catch (Halt halt) {
            if (abortRequested && !stopping) {
                end(operation.abort(now()));
            } else {
                saveQuietly();
            }
        } catch (RuntimeException e) {
            LOG.warn("operation {} failed in {}", operation.id(), operation.state(), e);
            end(operation.fail(String.valueOf(e.getMessage()), now()));
        } finally {
            ended.accept(operation.id());
            finished.countDown();
        }
    }

    private void phases() {
        if (operation.state().isAbortable() && context.operations().abortRequested(operation.id())) {
            abortRequested = true; // asked while no run drove it (the resharder function between invocations)
            throw new Halt();
        }
        ShardMap map = map();
        if (operation.isCutOver(map)) { // stopped after publishing, before saving it: done
            complete();
            return;
        }
        requireUnmoved(map);
        startedMs = now();
        if (operation.kind() == OperationKind.ADD_REPLICA) {
            fill();
        }
        cutOver();
    }

    /** Copying, catching-up and verifying: the new table gets everything the leader has, and is checked. */
    private void fill() {
        ShardEntry shard = operation.targets().getFirst();
        String table = operation.replicaTable();
        boolean fresh = operation.state() == OperationState.COPYING && operation.resume().segments() == 0;
        context.host().openReplica(shard, table, fresh);
        if (fresh) { // a table of that name verified before says nothing of this one
            context.verifications().forget(table);
        }
        ReplicaStore replica = context.stores().replica(table);
        if (operation.state() == OperationState.COPYING) {
            awaitJoined(replica);
            copy(shard, replica);
            advance();
        }
        if (operation.state() == OperationState.CATCHING_UP) {
            awaitCaughtUp(replica, now());
            advance();
        }
        if (operation.state() == OperationState.VERIFYING) {
            verify(shard, replica);
            advance();
        }
    }

    /**
     * Waits until the replicator's watermark on the table passes the operation's start: it feeds the table by
     * then, and since it applies each stream shard's records in order, every write committed after this returns
     * reaches the table. A heartbeat on the leader makes sure there is a record to apply.
     */
    private void awaitJoined(ReplicaStore replica) {
        Beats beats = new Beats(List.of(leader()), context.clock());
        long deadline = now() + context.settings().replicasWait().toMillis();
        while (!replica.watermark().map(w -> w.covers(operation.createdAt())).orElse(false)) {
            if (now() >= deadline) {
                throw new IllegalStateException("table " + replica.table() + " got nothing from shard "
                        + operation.targets().getFirst().id() + "'s stream in " + context.settings().replicasWait().toSeconds()
                        + " s: its replicator does not feed it (on AWS: is \"replicas\": " + operation.replica()
                        + " in topology.json applied?)");
            }
            beats.beatIfDue();
            checkpoint();
            pause(context.settings().pollInterval().toMillis() * 5);
        }
    }

    private void copy(ShardEntry shard, ReplicaStore replica) {
        Resume resume = operation.resume();
        int segments = resume.segments() > 0 ? resume.segments() : context.settings().segments();
        long total = leader().approximateCount();
        synchronized (saving) {
            operation = operation.withResume(resume.withSegments(segments), now())
                    .withProgress(new Progress(operation.progress().copied(), total, 0), null, now());
        }
        Map<Integer, String> cursors = new HashMap<>();
        for (int segment = 0; segment < segments; segment++) {
            int s = segment;
            operation.resume().cursor(shard.id(), s).ifPresent(c -> cursors.put(s, c.done() ? Copier.DONE : c.after()));
        }
        // The replicator writes the table too: every copied item goes under the apply rule's condition.
        new Copier(leader(), map().routing(), List.of(new Copier.Target(shard, replica, true)), segments,
                context.settings().pageSize()).copy(cursors, (segment, cursor, copied) -> copied(shard, segment, cursor, copied));
    }

    private void copied(ShardEntry shard, int segment, String cursor, int copied) {
        synchronized (saving) {
            copiedHere += copied;
            Resume.Cursor next = Copier.DONE.equals(cursor) ? Resume.Cursor.DONE : Resume.Cursor.after(cursor);
            Progress progress = operation.progress();
            long count = progress.copied() + copied;
            Progress now = new Progress(count, Math.max(progress.total(), count), 0);
            long elapsed = Math.max(1, now() - startedMs);
            operation = operation.withResume(operation.resume().withCursor(shard.id(), segment, next), now())
                    .withProgress(now, now.etaMs(Progress.rate(copiedHere, elapsed), 0), now());
        }
        checkpoint();
    }

    /** Waits until the table has applied every write committed before {@code copied} (when the copy ended). */
    private void awaitCaughtUp(ReplicaStore replica, long copied) {
        Beats beats = new Beats(List.of(leader()), context.clock());
        while (true) {
            Optional<Watermark> mark = replica.watermark();
            if (mark.map(w -> w.covers(copied)).orElse(false)) {
                return;
            }
            beats.beatIfDue(); // a quiet shard has no later record to show the copy's end is applied
            long behindMs = copied - mark.map(Watermark::ts).orElse(operation.createdAt());
            synchronized (saving) {
                operation = operation.withProgress(operation.progress(), Math.max(0, behindMs), now());
            }
            checkpoint();
            pause(context.settings().pollInterval().toMillis() * 5);
        }
    }

    /** Compares the table with the leader (a change not yet applied is in flight, not a difference); any difference fails it. */
    private void verify(ShardEntry shard, ReplicaStore replica) {
        synchronized (saving) {
            operation = operation.withProgress(operation.progress(), null, now()); // a scan's length is not known ahead
        }
        VerifyReport report = new ReplicaVerifier(shard.id(), leader(), replica, context.clock(), context.verifier())
                .verify(false, compared -> checkpoint());
        LastVerification last = LastVerification.of(report, operation.id());
        context.verifications().record(last);
        try {
            context.verified().verified(operation.replica(), last);
        } catch (RuntimeException e) {
            LOG.warn("operation {}: the listener failed on {}", operation.id(), replica.table(), e);
        }
        if (!report.clean()) {
            throw new IllegalStateException("the new replica " + replica.table() + " differs from its leader after the"
                    + " copy: " + report.missing() + " missing, " + report.different() + " different, " + report.extra()
                    + " extra, e.g. " + report.examples());
        }
        LOG.info("operation {}: {} verified: {}", operation.id(), replica.table(), report);
    }

    /** Publishes the map with the shard's new replicas, over the map the operation was planned on. */
    private void cutOver() {
        if (operation.state() != OperationState.CUTTING_OVER) {
            throw new IllegalStateException("cutting over while " + operation.state()); // the phases run in order
        }
        checkpoint();
        ShardMap map = map();
        requireUnmoved(map);
        ShardMap next = ReshardPlanner.withShard(map, operation.sources().getFirst(), operation.targets().getFirst());
        if (!context.control().publish(next, operation.fromEpoch()) && !operation.isCutOver(map())) {
            requireUnmoved(map());
            throw new IllegalStateException("the shard map could not be published at epoch " + operation.toEpoch());
        }
        complete();
    }

    private void requireUnmoved(ShardMap map) {
        if (map.epoch() != operation.fromEpoch()) {
            throw new IllegalStateException("the shard map moved from epoch " + operation.fromEpoch() + " to "
                    + map.epoch() + " while this ran (another operation ended first): start it again");
        }
    }

    private void complete() {
        Operation done = operation.withProgress(new Progress(operation.progress().copied(),
                operation.progress().copied(), 0), 0L, now()).advance(now());
        synchronized (saving) {
            operation = context.operations().save(done);
        }
        context.operations().release(operation);
        if (operation.kind() == OperationKind.REMOVE_REPLICA) {
            retirements.retire(operation.targets().getFirst(), operation.replicaTable());
        }
        LOG.info("operation {} done: shard {} has replicas {} at epoch {}", operation.id(),
                operation.targets().getFirst().id(), operation.targets().getFirst().replicas(), operation.toEpoch());
    }

    /** Ends it without publishing: an added replica's table is dropped, the lock released. */
    private void end(Operation last) {
        if (last.isCutOver(map())) {
            LOG.error("operation {} is cut over but could not be saved as done; it completes on the next start", last.id());
            return;
        }
        synchronized (saving) {
            operation = context.operations().save(last);
        }
        if (last.kind() == OperationKind.ADD_REPLICA) {
            context.host().dropReplica(last.sources().getFirst(), last.replicaTable());
            context.verifications().forget(last.replicaTable());
        }
        context.operations().release(operation);
    }

    private void advance() {
        synchronized (saving) {
            operation = context.operations().save(operation.advance(now()));
            lastSave = now();
        }
        LOG.info("operation {}: {}", operation.id(), operation.state());
    }

    /** Saves progress every saveEvery, and halts when asked to stop or abort (here, or by a request in the store). */
    private void checkpoint() {
        if (stopping || abortRequested && operation.state().isAbortable()) {
            throw new Halt();
        }
        synchronized (saving) {
            if (now() - lastSave >= context.settings().saveEvery().toMillis()) {
                operation = context.operations().save(operation);
                lastSave = now();
                abortRequested |= operation.state().isAbortable() && context.operations().abortRequested(operation.id());
            }
        }
    }

    private void saveQuietly() {
        try {
            synchronized (saving) {
                if (operation.isActive()) {
                    operation = context.operations().save(operation);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("operation {}: could not save where it stopped; it resumes from its last save", operation.id(), e);
        }
    }

    private LeaderStore leader() {
        return context.stores().leader(operation.sources().getFirst().leader());
    }

    private ShardMap map() {
        return context.control().loadShardMap().orElseThrow();
    }

    private long now() {
        return context.clock().millis();
    }

    private void pause(long ms) {
        try {
            Thread.sleep(Math.max(1, ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Halt();
        }
    }
}
