package dev.shardkv.core.reshard;

import dev.shardkv.core.store.ChangeFeed;
import dev.shardkv.core.store.Fence;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.topology.RoutingMode;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One split or merge, driven through its phases on its own thread: copy (with the catch-up already
 * running behind it), catch up to the streams' tail, verify, cut over. Saves the operation with its
 * progress and where to resume every {@code saveEvery}, and at each phase. Abort, failure and a stop of
 * the runtime are told apart: the first two end the operation (sources open, targets dropped, locks
 * released), a stop leaves it to {@link Resharder#resumeAll}.
 */
final class OperationRun implements Run {
    private static final Logger LOG = LoggerFactory.getLogger(OperationRun.class);

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
    private CatchUpLoop loop;
    private final ReadWriteLock targetLock = new ReentrantReadWriteLock();
    private RoutingMode routing;
    private long copiedHere;
    private long startedMs;
    private long lastSave;
    private long lastLog;

    OperationRun(Resharder.Context context, Operation operation, Consumer<String> ended, Retirements retirements) {
        this.context = context;
        this.operation = operation;
        this.ended = ended;
        this.retirements = retirements;
        this.thread = Thread.ofVirtual().name("reshard-" + operation.id()).unstarted(this::run);
    }

    @Override
    public void start() {
        thread.start();
    }

    /** Asks the run to abort before its cutover and waits for it to end; answers the operation as saved. */
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
        end(operation.abort(context.clock().millis()));
        return operation;
    }

    /** Stops where it is (the runtime is closing); the operation stays as saved, to be resumed. */
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
            if (loop != null) {
                loop.close();
            }
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
            complete(operation.writePauseMs() == null ? 0 : operation.writePauseMs());
            return;
        }
        Reshard plan = operation.replan(context.planner(), map);
        routing = map.routing();
        boolean fresh = operation.state() == OperationState.COPYING && operation.resume().segments() == 0;
        operation.targets().forEach(target -> context.host().open(target, fresh));
        if (fresh) { // the targets' replicas start empty: a verification of tables of that name says nothing of them
            operation.targets().forEach(target -> target.replicas().forEach(context.verifications()::forget));
        }
        startedMs = now();
        if (operation.state() == OperationState.CUTTING_OVER) {
            sources().forEach(source -> Fence.open(source, now())); // stopped while frozen: writes go on meanwhile
        }
        loop = startCatchUp();
        if (operation.state() == OperationState.COPYING) {
            copy();
            advance();
        }
        loop.copied();
        if (operation.state() == OperationState.CATCHING_UP) {
            awaitTail();
            awaitTargetReplicas();
            advance();
        }
        if (operation.state() == OperationState.VERIFYING) {
            verify();
            advance();
        }
        cutOver(plan);
    }

    private CatchUpLoop startCatchUp() {
        List<CatchUpLoop.Source> sources = new ArrayList<>();
        long skipBefore = operation.createdAt() - context.settings().skew().toMillis();
        // A fresh operation reads its sources' streams from now: the copy, which starts after, has the rest.
        boolean fresh = operation.state() == OperationState.COPYING && operation.resume().segments() == 0;
        for (ShardEntry source : operation.sources()) {
            CatchUp catchUp = new CatchUp(operation.id(), routing(), targets(targetLock.writeLock()), skipBefore);
            ChangeFeed feed = fresh ? context.feeds().openAtTail(source.leader())
                    : context.feeds().open(source.leader(), operation.resume().positions(source.id()));
            sources.add(new CatchUpLoop.Source(source.id(), feed, catchUp));
        }
        return new CatchUpLoop(operation.id(), sources, context.settings().pollInterval().toMillis()).start();
    }

    private void copy() {
        Resume resume = operation.resume();
        int segments = resume.segments() > 0 ? resume.segments() : context.settings().segments();
        long total = sources().stream().mapToLong(LeaderStore::approximateCount).sum();
        synchronized (saving) {
            operation = operation.withResume(resume.withSegments(segments), now())
                    .withProgress(new Progress(operation.progress().copied(), total, 0), null, now());
        }
        for (ShardEntry source : operation.sources()) {
            Map<Integer, String> cursors = new HashMap<>();
            for (int segment = 0; segment < segments; segment++) {
                int s = segment;
                operation.resume().cursor(source.id(), s).ifPresent(c -> cursors.put(s, c.done() ? Copier.DONE : c.after()));
            }
            new Copier(context.stores().leader(source.leader()), routing(), targets(targetLock.readLock()), segments,
                    context.settings().pageSize()).copy(cursors, (segment, cursor, copied) -> copied(source, segment, cursor, copied));
        }
    }

    private void copied(ShardEntry source, int segment, String cursor, int copied) {
        synchronized (saving) {
            copiedHere += copied;
            Resume.Cursor next = Copier.DONE.equals(cursor) ? Resume.Cursor.DONE : Resume.Cursor.after(cursor);
            Progress progress = operation.progress();
            long count = progress.copied() + copied;
            operation = operation.withResume(operation.resume().withCursor(source.id(), segment, next), now())
                    .withProgress(new Progress(count, Math.max(progress.total(), count), loop.behind()), null, now());
        }
        checkpoint();
    }

    private void awaitTail() {
        while (!loop.atTail()) {
            checkpoint();
            pause(context.settings().pollInterval().toMillis());
        }
    }

    /**
     * Waits (up to the settings' replicasWait) until every replica of every target is less than a second
     * behind, by the watermark its replicator keeps: once the map moves, reads go to those replicas, and
     * a cutover while they still apply the copy's backlog would pause writes behind that work.
     */
    private void awaitTargetReplicas() {
        long deadline = now() + context.settings().replicasWait().toMillis();
        Beats beats = new Beats(operation.targets().stream().map(t -> context.stores().leader(t.leader())).toList(),
                context.clock());
        while (now() < deadline) {
            long now = now();
            boolean caughtUp = operation.targets().stream().flatMap(t -> t.replicas().stream())
                    .allMatch(r -> context.stores().replica(r).watermark().map(w -> w.lagAt(now) < 1_000).orElse(false));
            if (caughtUp) {
                return;
            }
            beats.beatIfDue(); // quiet targets: a record to move their replicas' watermarks
            checkpoint();
            pause(100);
        }
        LOG.warn("operation {}: the targets' replicas are still over a second behind; cutting over anyway", operation.id());
    }

    /**
     * Compares each source with the targets, page by page, saving how far it got (a stop, such as the end of
     * a resharder invocation, resumes from there): a verification longer than a run still ends. Any
     * difference fails the operation.
     */
    private void verify() {
        long margin = 1_000; // the verifier's own clock against the writers'
        for (ShardEntry source : operation.sources()) {
            Resume.Cursor from = operation.resume().verified(source.id()).orElse(null);
            if (from != null && from.done()) {
                continue;
            }
            List<Verifier.Target> targets = operation.targets().stream().map(t -> new Verifier.Target(t,
                    (List<String> keys) -> context.stores().leader(t.leader()).getAll(keys))).toList();
            Verifier.Report report = new Verifier(context.stores().leader(source.leader()), routing(), targets,
                    context.settings().pageSize()).verify(from == null ? null : from.after(),
                            () -> loop.appliedThrough() - margin, (next, soFar) -> {
                                requireClean(source, soFar);
                                synchronized (saving) {
                                    Resume.Cursor cursor = next == null ? Resume.Cursor.DONE : Resume.Cursor.after(next);
                                    operation = operation.withResume(operation.resume().withVerified(source.id(), cursor),
                                            now());
                                }
                                if (next != null) {
                                    checkpoint();
                                }
                            });
            LOG.info("operation {}: verified {}: {}", operation.id(), source.id(), report);
        }
    }

    private static void requireClean(ShardEntry source, Verifier.Report report) {
        if (!report.clean()) {
            throw new IllegalStateException("the targets differ from " + source.id() + ": " + report.missing()
                    + " missing, " + report.different() + " older, e.g. " + report.examples());
        }
    }

    private void cutOver(Reshard plan) {
        Cutover cutover = new Cutover(context.control(), context.clock(), context.settings().catchUpWait());
        String last = null;
        for (int attempt = 1; attempt <= context.settings().cutovers(); attempt++) {
            awaitTail();
            Cutover.Result result = cutover.run(operation.id(), sources(), plan.next(), operation.fromEpoch(), loop);
            if (result.published()) {
                complete(result.writePauseMs());
                return;
            }
            last = result.error();
            LOG.warn("operation {}: cutover {} did not publish: {}", operation.id(), attempt, last);
            loop.resume();
            if (map().epoch() != operation.fromEpoch()) {
                break;
            }
        }
        throw new IllegalStateException(last);
    }

    private void complete(long writePauseMs) {
        if (loop != null) {
            loop.close();
        }
        Operation done = operation.withWritePause(writePauseMs, now())
                .withProgress(new Progress(operation.progress().copied(), operation.progress().copied(), 0), 0L, now());
        if (done.state() != OperationState.CUTTING_OVER) {
            done = done.fail("published while " + done.state(), now()); // cannot happen: the phases run in order
        } else {
            done = done.advance(now());
        }
        synchronized (saving) {
            operation = context.operations().save(done);
        }
        context.operations().release(operation);
        operation.sources().forEach(retirements::retire);
        LOG.info("operation {} done: epoch {}, writes paused {} ms", operation.id(), operation.toEpoch(), writePauseMs);
    }

    /** Ends the operation without publishing: sources open again, targets dropped, locks released. */
    private void end(Operation ended) {
        if (ended.isCutOver(map())) {
            // The new map routes to the targets: never drop them. A later start completes the operation.
            LOG.error("operation {} is cut over but could not be saved as done; it completes on the next start",
                    ended.id());
            return;
        }
        for (ShardEntry source : ended.sources()) {
            LeaderStore leader = context.stores().leader(source.leader());
            if (ended.id().equals(Fence.read(leader).operation())) {
                Fence.open(leader, now());
            }
        }
        synchronized (saving) {
            operation = context.operations().save(ended);
        }
        ended.targets().forEach(context.host()::drop);
        context.operations().release(operation);
    }

    private void advance() {
        synchronized (saving) {
            operation = context.operations().save(withPositions(operation).advance(now()));
            lastSave = now();
        }
        LOG.info("operation {}: {}", operation.id(), operation.state());
    }

    /**
     * Saves progress every saveEvery, and halts when asked to stop or abort (here, or by a request in the
     * store, read at each save: another process may be the one asking).
     */
    private void checkpoint() {
        if (stopping || abortRequested && operation.state().isAbortable()) {
            throw new Halt();
        }
        synchronized (saving) {
            if (now() - lastSave >= context.settings().saveEvery().toMillis()) {
                operation = context.operations().save(withPositions(withEta(operation)));
                lastSave = now();
                abortRequested |= operation.state().isAbortable() && context.operations().abortRequested(operation.id());
                if (now() - lastLog >= 5_000) {
                    lastLog = now();
                    LOG.info("operation {}: {}, copied {} of about {}, catch-up applied {}, behind {}", operation.id(),
                            operation.state(), operation.progress().copied(), operation.progress().total(),
                            loop.applied(), loop.behind());
                }
            }
        }
    }

    private Operation withEta(Operation current) {
        long elapsed = Math.max(1, now() - startedMs);
        Progress progress = new Progress(current.progress().copied(), current.progress().total(), loop.behind());
        Long eta = progress.etaMs(Progress.rate(copiedHere, elapsed), Progress.rate(loop.applied(), elapsed));
        return current.withProgress(progress, eta, now());
    }

    private Operation withPositions(Operation current) {
        Resume resume = current.resume();
        for (Map.Entry<String, Map<String, String>> source : loop.positions().entrySet()) {
            for (Map.Entry<String, String> position : source.getValue().entrySet()) {
                resume = resume.withPosition(source.getKey(), position.getKey(), position.getValue());
            }
        }
        return current.withResume(resume, now());
    }

    private void saveQuietly() {
        try {
            synchronized (saving) {
                if (operation.isActive() && loop != null) {
                    operation = context.operations().save(withPositions(operation));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("operation {}: could not save where it stopped; it resumes from its last save", operation.id(), e);
        }
    }

    /** The targets' leaders, written under the copy's (shared) or the catch-up's (exclusive) side of one lock. */
    private List<Copier.Target> targets(Lock side) {
        return operation.targets().stream()
                .map(t -> new Copier.Target(t, new TargetWrites(context.stores().replica(t.leader()), side))).toList();
    }

    private List<LeaderStore> sources() {
        return operation.sources().stream().map(s -> context.stores().leader(s.leader())).toList();
    }

    private RoutingMode routing() {
        return routing;
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
