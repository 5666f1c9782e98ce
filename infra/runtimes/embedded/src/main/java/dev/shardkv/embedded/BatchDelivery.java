package dev.shardkv.embedded;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.shardkv.dynamodb.ItemAttributes;
import dev.shardkv.dynamodb.StreamEvents;
import dev.shardkv.handlers.ReplicatorFunction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * What the event source mapping does with a batch of stream records: hands it to the replicator, resumes from the
 * first failed record it reports, bisects on a function error, retries with backoff, and parks a record that
 * keeps failing so the shard moves on.
 */
final class BatchDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(BatchDelivery.class);
    private final String shard;
    private final String functionName;
    private final String streamArn;
    private final ReplicatorFunction replicator;
    private final StreamPump.Settings settings;
    private final ParkedRecords parked;
    private final BooleanSupplier running;
    private final String lane;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    BatchDelivery(String shard, String functionName, String streamArn, ReplicatorFunction replicator,
            StreamPump.Settings settings, ParkedRecords parked, BooleanSupplier running) {
        this(shard, functionName, streamArn, replicator, settings, parked, running, null);
    }

    /** @param lane the lane whose batches this delivers, when several deliver at once ({@link VirtualShards}); null: one */
    BatchDelivery(String shard, String functionName, String streamArn, ReplicatorFunction replicator,
            StreamPump.Settings settings, ParkedRecords parked, BooleanSupplier running, String lane) {
        this.lane = lane;
        this.shard = shard;
        this.functionName = functionName;
        this.streamArn = streamArn;
        this.replicator = replicator;
        this.settings = settings;
        this.parked = parked;
        this.running = running;
    }

    long batches() {
        return batches.get();
    }

    long retries() {
        return retries.get();
    }

    /** Delivers records in order until all are applied or parked; false if the pump stopped first. */
    boolean deliver(List<Record> records) throws InterruptedException {
        List<Record> pending = records;
        int attempts = 0;
        while (!pending.isEmpty()) {
            if (!running.getAsBoolean()) {
                return false;
            }
            DynamodbEvent event = StreamEvents.toLambdaEvent(pending, streamArn);
            List<Record> remaining;
            String reason;
            try {
                StreamsEventResponse response = lane == null
                        ? replicator.handleRequest(event, new LocalContext(functionName, 60_000, 1024))
                        : replicator.handle(event, lane);
                batches.incrementAndGet();
                List<StreamsEventResponse.BatchItemFailure> failures =
                        response == null || response.getBatchItemFailures() == null ? List.of()
                                : response.getBatchItemFailures();
                if (failures.isEmpty()) {
                    return true;
                }
                remaining = pending.subList(indexOf(pending, failures.get(0).getItemIdentifier()), pending.size());
                reason = "the replicator reported it as the first failed record";
            } catch (RuntimeException e) {
                // A function error: bisect, as BisectBatchOnFunctionError does, keeping order.
                LOG.warn("replicator of shard {} failed on a batch of {}", shard, pending.size(), e);
                if (pending.size() > 1) {
                    int half = pending.size() / 2;
                    return deliver(pending.subList(0, half)) && deliver(pending.subList(half, pending.size()));
                }
                remaining = pending;
                reason = "the replicator failed: " + e;
            }
            if (remaining.size() < pending.size()) {
                attempts = 0; // progress was made: the retry budget is per record, as with a checkpoint
            }
            pending = remaining;
            attempts++;
            if (attempts > settings.maxRetries()) {
                Record poison = pending.get(0);
                parked.park(new ParkedRecords.Parked(shard, poison.dynamodb().sequenceNumber(),
                        poison.dynamodb().keys().get(ItemAttributes.PK).s(), reason, System.currentTimeMillis()));
                pending = pending.subList(1, pending.size());
                attempts = 0;
                continue;
            }
            retries.incrementAndGet();
            sleep(settings.retryBackoff().multipliedBy(1L << Math.min(attempts - 1, 4)));
        }
        return true;
    }

    private static int indexOf(List<Record> records, String sequenceNumber) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).dynamodb().sequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        return 0; // an identifier we did not send: retry the whole batch, as Lambda does
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(Math.max(1, d.toMillis()));
    }
}
