package dev.shardkv.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.shardkv.core.shard.Heartbeater;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;

/**
 * {@code {prefix}-heartbeat}: EventBridge schedules it once a minute (its finest rate); within one
 * invocation it writes a heartbeat to every leader each interval until shortly before its timeout,
 * so replicas see a heartbeat every interval, not every minute.
 */
@Named("heartbeat")
@Singleton
public class HeartbeatFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Stop this long before the timeout so the last beat never races the end of the invocation. */
    static final long MARGIN_MS = 3_000;
    private final Heartbeater heartbeater;
    private final Duration interval;
    private final Duration runFor;

    /**
     * @param interval time between two heartbeats to every leader
     * @param runFor   how long one invocation keeps beating (just under the schedule's period)
     */
    @Inject
    public HeartbeatFunction(Heartbeater heartbeater, @Named("heartbeat-interval") Duration interval,
            @Named("heartbeat-run-for") Duration runFor) {
        this.heartbeater = heartbeater;
        this.interval = interval;
        this.runFor = runFor;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
        long begin = System.currentTimeMillis();
        int rounds = 0;
        int written = 0;
        do {
            long started = System.currentTimeMillis();
            written += heartbeater.beatOnce();
            rounds++;
            long sleep = Math.max(0, interval.toMillis() - (System.currentTimeMillis() - started));
            boolean outOfTime = context == null || context.getRemainingTimeInMillis() < MARGIN_MS + sleep;
            if (outOfTime || System.currentTimeMillis() + sleep - begin >= runFor.toMillis()) {
                break;
            }
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } while (true);
        return Map.of("rounds", rounds, "heartbeats", written);
    }
}
