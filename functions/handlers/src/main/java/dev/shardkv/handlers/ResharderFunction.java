package dev.shardkv.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.shardkv.core.error.ShardKvException;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationKind;
import dev.shardkv.core.reshard.RemoteReshards;
import dev.shardkv.core.reshard.Resharder;
import dev.shardkv.core.reshard.VerifyRequest;
import dev.shardkv.core.store.OperationStore;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code {prefix}-resharder}: runs every split and merge that has not ended, until they end or its time is
 * nearly up; then it stops them where they are (each saves where to resume) and the next invocation goes
 * on. The gateway invokes it (asynchronously) when an operation starts or is asked to abort, and
 * EventBridge once a minute, so an operation stopped by a timeout or a crash resumes within a minute.
 *
 * <p>One invocation at a time runs operations: it holds the runner lease in the control table (a
 * conditional write) until its own deadline, so a lease left by a crashed invocation lapses by itself.
 * An invocation that finds the lease taken returns at once.
 *
 * <p>An event with a {@code verify} object ({@code {"verify": {"repair": false}}}, from the verification_schedule
 * rule) also starts a verification of every shard first, unless one is still running.
 */
@Named("resharder")
@Singleton
public class ResharderFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final Logger LOG = LoggerFactory.getLogger(ResharderFunction.class);
    /** How often a running invocation looks for operations started after it began. */
    static final long RESUME_EVERY_MS = 2_000;
    /** Time kept for the answer after the runs have stopped. */
    static final long STOP_MARGIN_MS = 3_000;
    private final Supplier<Resharder> resharders;
    private final OperationStore operations;
    private final RemoteReshards stored;
    private final Duration margin;
    private final Duration runFor;

    /**
     * @param resharders a new engine for each invocation (a closed one does not start again)
     * @param stored     starts operations by storing them only, as the gateway does, for a runner to pick up
     * @param margin     stop running operations this long before the invocation's timeout
     * @param runFor     run at most this long in one invocation
     */
    @Inject
    public ResharderFunction(Supplier<Resharder> resharders, OperationStore operations, RemoteReshards stored,
            @Named("resharder-margin") Duration margin, @Named("resharder-run-for") Duration runFor) {
        this.resharders = resharders;
        this.operations = operations;
        this.stored = stored;
        this.margin = margin;
        this.runFor = runFor;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        long begin = System.currentTimeMillis();
        // No context, or one without a deadline (an emulator's, the mock event server's): run-for alone bounds it.
        long remaining = context == null || context.getRemainingTimeInMillis() <= 0
                ? runFor.toMillis() + margin.toMillis() : context.getRemainingTimeInMillis();
        long deadline = begin + Math.min(runFor.toMillis(), remaining - margin.toMillis());
        String holder = context == null ? UUID.randomUUID().toString() : context.getAwsRequestId();
        Map<String, Object> result = new LinkedHashMap<>();
        if (deadline <= begin) {
            LOG.warn("the resharder's timeout leaves no time beyond its margin of {}: raise the timeout", margin);
            result.put("ran", false);
            return result;
        }
        if (event != null && event.get("verify") instanceof Map<?, ?> verify) {
            startVerification(Boolean.parseBoolean(String.valueOf(verify.get("repair"))))
                    .ifPresent(id -> result.put("verification", id));
        }
        if (!operations.lease(holder, begin, begin + remaining)) {
            result.put("ran", false); // another invocation runs them
            return result;
        }
        Resharder resharder = resharders.get();
        int active = 0;
        try {
            active = resharder.resumeAll();
            while (active > 0 && System.currentTimeMillis() < deadline) {
                sleep(Math.min(RESUME_EVERY_MS, deadline - System.currentTimeMillis()));
                active = resharder.resumeAll(); // and starts those begun since
            }
        } finally {
            // Stops what still runs: each saves where it is, to resume next time. A run that has not ended by the
            // invocation's end must not outlive it: frozen with the environment and thawed by a later invocation,
            // it would write beside the run that resumed its operation there. Ending the process discards the
            // environment (Lambda starts a new one), so the lease is left to lapse at its deadline.
            long left = begin + remaining - STOP_MARGIN_MS - System.currentTimeMillis();
            if (!resharder.close(Duration.ofMillis(Math.max(1_000, left)))) {
                LOG.error("an operation did not stop within the invocation; ending this environment");
                Runtime.getRuntime().halt(1);
            }
            operations.unlease(holder);
        }
        result.put("ran", true);
        result.put("unfinished", active); // operations that had not ended at the last look: the next invocation goes on
        result.put("ms", System.currentTimeMillis() - begin);
        return result;
    }

    /**
     * Stores a verification of every shard, before the lease is tried. Resharder.verify would also launch it in
     * this process, which only the lease holder may do; stored only (as the gateway stores one), it is run by
     * whichever invocation holds the lease: this one below; or the holder, whose resumeAll looks for new
     * operations every 2 s while it runs any; or, when the holder was just ending, the next invocation (the
     * minute schedule, or the gateway's wake). So a taken lease delays it at most, never loses it.
     * Answers its id, or nothing when none was started.
     */
    private Optional<String> startVerification(boolean repair) {
        // The list is the newest 100: an older verification still running would refuse this one by its locks.
        Optional<Operation> running = operations.list().stream()
                .filter(o -> o.kind() == OperationKind.VERIFY && o.isActive()).findFirst();
        if (running.isPresent()) {
            LOG.info("scheduled verification not started: {} is still verifying", running.get().id());
            return Optional.empty();
        }
        try {
            Operation started = stored.verify(new VerifyRequest(null, repair));
            LOG.info("scheduled verification {} of {} started (repair {})", started.id(), started.shards(), repair);
            return Optional.of(started.id());
        } catch (ShardKvException e) {
            // 409 operation-conflict: a split or merge holds a shard. Skipped; the next schedule tries again.
            LOG.warn("scheduled verification not started: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
