package dev.shardkv.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.shardkv.core.replication.ChangeRecord;
import dev.shardkv.core.replication.Replicator;
import dev.shardkv.dynamodb.StreamEvents;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code {prefix}-{shard}-replicator}: takes a batch from the leader's stream and applies it, in
 * order, to every replica. On a failure it reports the first failed record as the batch item failure
 * (ReportBatchItemFailures), so the event source mapping retries from exactly there: nothing after it
 * is applied out of order, nothing before it is redone with any effect.
 */
@Named("replicator")
@Singleton
public class ReplicatorFunction implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatorFunction.class);
    private final Replicator replicator;

    @Inject
    public ReplicatorFunction(Replicator replicator) {
        this.replicator = replicator;
    }

    /** A batch from the event source mapping: one stream shard's records, in order (one lane). */
    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return handle(event, null);
    }

    /**
     * A batch of one lane (a stream shard, or one of its parallel batches), where several are delivered at once:
     * each replica's watermark is then its slowest lane's ({@link Replicator#expectLanes}). Null: the single lane.
     */
    public StreamsEventResponse handle(DynamodbEvent event, String lane) {
        List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<ChangeRecord> changes = new ArrayList<>(records.size());
        String unreadable = null;
        for (DynamodbEvent.DynamodbStreamRecord record : records) {
            try {
                changes.add(StreamEvents.toChange(record));
            } catch (RuntimeException e) {
                // Apply what comes before it; the mapping retries from here, then parks it on the queue.
                LOG.error("stream record {} cannot be read", record.getDynamodb().getSequenceNumber(), e);
                unreadable = record.getDynamodb().getSequenceNumber();
                break;
            }
        }
        Replicator.BatchResult result = lane == null ? replicator.apply(changes) : replicator.apply(lane, changes);
        String failed = result.firstFailedSequenceNumber().orElse(unreadable);
        if (failed == null) {
            return new StreamsEventResponse(List.of());
        }
        return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(failed)));
    }
}
