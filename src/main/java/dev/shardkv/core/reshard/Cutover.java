package dev.shardkv.core.reshard;

import dev.shardkv.core.kv.WriteOutcome;
import dev.shardkv.core.store.ControlStore;
import dev.shardkv.core.store.Fence;
import dev.shardkv.core.store.LeaderStore;
import dev.shardkv.core.topology.ShardMap;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The cutover of a reshard, the only time its shards' writes pause: freeze every source leader (from then
 * on no writer acknowledges anything there, whatever map it holds), wait until the catch-up has applied
 * the sources' streams up to that freeze (the targets then hold every acknowledged write), and publish the
 * next map over the one the operation started from. Writes that met the freeze are retried by the gateway
 * on the new owners. Should the catch-up not get there in time, or the map have moved, the sources are
 * opened again and the map is unchanged.
 */
public final class Cutover {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Cutover.class);
    /**
     * @param published    the next map is out: the targets own the keys
     * @param writePauseMs from the freeze to the publish (or to the reopening)
     * @param error        why not, when not published
     */
    public record Result(boolean published, long writePauseMs, String error) {
    }

    /** What the cutover waits on. */
    @FunctionalInterface
    public interface CatchingUp {
        /**
         * @param freezes per source, in order, the version of the fence item its freeze wrote
         * @return whether the catch-up has applied every source's stream up to those freezes
         */
        boolean caughtUp(List<Long> freezes);

        /**
         * Waits until the catch-up finishes its next poll, or {@code maxMs}: the cutover asks again then, so
         * every millisecond between a poll that catches up and the publish is not spent sleeping.
         */
        default void awaitPoll(long maxMs) throws InterruptedException {
            Thread.sleep(maxMs);
        }
    }

    private final ControlStore control;
    private final Clock clock;
    private final Duration catchUpWait;

    /** @param catchUpWait how long the sources may stay frozen waiting for the catch-up before the cutover gives up */
    public Cutover(ControlStore control, Clock clock, Duration catchUpWait) {
        this.control = control;
        this.clock = clock;
        this.catchUpWait = catchUpWait;
    }

    public Result run(String operation, List<LeaderStore> sources, ShardMap next, long fromEpoch, CatchingUp catchingUp) {
        long frozenAt = System.nanoTime();
        List<Long> freezes = new ArrayList<>();
        for (LeaderStore source : sources) {
            WriteOutcome frozen = Fence.freeze(source, operation, clock.millis());
            freezes.add(((WriteOutcome.Written) frozen).item().version());
        }
        long froze = elapsedMs(frozenAt);
        if (!await(catchingUp, freezes)) {
            reopen(sources);
            return new Result(false, elapsedMs(frozenAt), "the catch-up did not reach the freeze within "
                    + catchUpWait.toMillis() + " ms; the sources took writes again");
        }
        long caughtUp = elapsedMs(frozenAt);
        if (!control.publish(next, fromEpoch)) {
            reopen(sources);
            return new Result(false, elapsedMs(frozenAt), "the shard map is no longer at epoch " + fromEpoch
                    + "; the sources took writes again");
        }
        long pause = elapsedMs(frozenAt);
        LOG.info("{}: sources frozen after {} ms, caught up after {} ms, map published after {} ms", operation, froze,
                caughtUp, pause);
        return new Result(true, pause, null);
    }

    private boolean await(CatchingUp catchingUp, List<Long> freezes) {
        long deadline = System.nanoTime() + catchUpWait.toNanos();
        while (!catchingUp.caughtUp(freezes)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                catchingUp.awaitPoll(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void reopen(List<LeaderStore> sources) {
        for (LeaderStore source : sources) {
            Fence.open(source, clock.millis());
        }
    }

    private static long elapsedMs(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
