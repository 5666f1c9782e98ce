package dev.shardkv.core.reshard;

import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.verify.LastVerification;
import dev.shardkv.core.verify.ReplicaVerifier;
import dev.shardkv.core.verify.VerifyReport;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One verification, driven on its own thread: each replica of each shard compared with its leader in turn
 * ({@link ReplicaVerifier}), repaired if asked, its report added to the operation's result as it ends.
 * Progress (keys compared of about the keys there are) and how far the current replica has got are saved every
 * saveEvery. A stopped verification resumes with the replicas it has not reported yet, the one it was on from its
 * last checkpoint; an aborted one keeps the reports it has. Each report is also
 * kept as the replica's last verification, which the gateways read to hold a divergent replica back from reads.
 */
final class VerifyRun implements Run {
    private static final Logger LOG = LoggerFactory.getLogger(VerifyRun.class);

    /** Thrown out of a verifier's lanes when the run must stop where it is. */
    private static final class Halt extends RuntimeException {
        Halt() {
            super(null, null, false, false);
        }
    }

    private final Resharder.Context context;
    private final Consumer<String> ended;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread thread;
    private final Object saving = new Object();
    private volatile boolean abortRequested;
    private volatile boolean stopping;
    private Operation operation;
    private long comparedBefore; // keys compared by the replicas already reported
    private long lastSave;

    VerifyRun(Resharder.Context context, Operation operation, Consumer<String> ended) {
        this.context = context;
        this.operation = operation;
        this.ended = ended;
        this.thread = Thread.ofVirtual().name("verify-" + operation.id()).unstarted(this::run);
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
            verifyAll();
            end(operation.advance(now()));
            LOG.info("verification {} done: {} differences", operation.id(), operation.result().differences());
        } catch (Halt halt) {
            if (abortRequested && !stopping) {
                end(operation.abort(now()));
            } else {
                saveQuietly(); // where the current replica got to: the next run goes on from there
            }
        } catch (RuntimeException e) {
            LOG.warn("verification {} failed", operation.id(), e);
            end(operation.fail(String.valueOf(e.getMessage()), now()));
        } finally {
            ended.accept(operation.id());
            finished.countDown();
        }
    }

    private void verifyAll() {
        boolean repair = operation.result().repair();
        long total = operation.sources().stream()
                .mapToLong(s -> context.stores().leader(s.leader()).approximateCount() * s.replicas().size()).sum();
        comparedBefore = operation.result().replicas().stream().mapToLong(VerifyReport::compared).sum();
        save(operation.withProgress(new Progress(comparedBefore, Math.max(total, comparedBefore), 0), null, now()));
        for (ShardEntry shard : operation.sources()) {
            for (String replica : shard.replicas()) {
                if (operation.result().has(shard.id(), replica)) {
                    continue; // reported before a stop
                }
                checkpoint(0);
                // A stop within a replica goes on from its last checkpoint, saved with the operation's next save.
                ReplicaVerifier.Checkpoint from = operation.resume().replicaCheck(replica).orElse(null);
                VerifyReport report = new ReplicaVerifier(shard.id(), context.stores().leader(shard.leader()),
                        context.stores().replica(replica), context.clock(), context.verifier())
                        .verify(repair, this::checkpoint, from, reached -> {
                            synchronized (saving) {
                                operation = operation.withResume(operation.resume().withReplicaCheck(replica, reached),
                                        now());
                            }
                        });
                LOG.info("verification {}: {}", operation.id(), report);
                remember(shard, replica, report);
                synchronized (saving) {
                    comparedBefore += report.compared();
                    Progress progress = operation.progress();
                    operation = operation.withResult(operation.result().with(report), now())
                            .withResume(operation.resume().withoutReplicaCheck(replica), now())
                            .withProgress(new Progress(comparedBefore, Math.max(progress.total(), comparedBefore), 0),
                                    null, now());
                }
                save(operation);
            }
        }
    }

    /**
     * Keeps the report as the replica's last verification, before the operation saves it: a run stopped in between
     * verifies the replica again on resume, while the other order could leave a report never kept.
     */
    private void remember(ShardEntry shard, String replica, VerifyReport report) {
        LastVerification last = LastVerification.of(report, operation.id());
        context.verifications().record(last);
        try {
            context.verified().verified(shard.replicas().indexOf(replica) + 1, last);
        } catch (RuntimeException e) {
            LOG.warn("verification {}: the listener failed on {}", operation.id(), replica, e); // a metric lost, no more
        }
    }

    /** Told the keys compared so far on the current replica, from the verifier's lanes: saves, halts when asked. */
    private void checkpoint(long compared) {
        if (stopping || abortRequested) {
            throw new Halt();
        }
        synchronized (saving) {
            if (now() - lastSave < context.settings().saveEvery().toMillis()) {
                return;
            }
            Progress progress = operation.progress();
            long done = comparedBefore + compared;
            save(operation.withProgress(new Progress(done, Math.max(progress.total(), done), 0), null, now()));
            abortRequested |= context.operations().abortRequested(operation.id());
        }
    }

    private void saveQuietly() {
        try {
            synchronized (saving) {
                if (operation.isActive()) {
                    save(operation);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("verification {}: could not save where it stopped; it resumes from its last save", operation.id(), e);
        }
    }

    private void save(Operation next) {
        synchronized (saving) {
            operation = context.operations().save(next);
            lastSave = now();
        }
    }

    /** Ends it (done, failed or aborted) and releases its shards. */
    private void end(Operation last) {
        synchronized (saving) {
            operation = context.operations().save(last);
        }
        context.operations().release(operation);
    }

    private long now() {
        return context.clock().millis();
    }
}
