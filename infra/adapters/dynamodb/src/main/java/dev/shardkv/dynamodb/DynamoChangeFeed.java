package dev.shardkv.dynamodb;

import dev.shardkv.core.replication.ChangeRecord;
import dev.shardkv.core.store.ChangeFeed;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A leader table's DynamoDB stream as a {@link ChangeFeed}, read the way the embedded runtime's stream
 * pump reads it: a stream shard is read once its parent is read to its end (or is gone), each from just
 * after its saved position, else from its oldest record. Each {@link #next} makes one GetRecords per
 * open stream shard, and records become {@link ChangeRecord}s by the replicator's own conversion
 * ({@link StreamEvents#toChange(Record)}). Where a position can't be resumed, the shard is read again
 * from its oldest record: the targets apply by the apply rule, so records seen twice change nothing.
 */
public final class DynamoChangeFeed implements ChangeFeed {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoChangeFeed.class);
    /** The most GetRecords returns; a shard that answers with fewer held nothing more when asked. */
    static final int MAX_RECORDS = 1000;
    private static final long REDISCOVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final int limit;
    private final Map<String, String> positions;
    /** Open stream shards and the iterator to read each with next. */
    private final Map<String, String> iterators = new LinkedHashMap<>();
    /** Stream shards read to their end: their children may be read. */
    private final Set<String> finished = new HashSet<>();
    /** The stream's shards when last listed; null before the first listing. */
    private Map<String, Shard> shards;
    private long discoveredAt;
    private boolean closed;

    /** Opens feeds on leader tables by name, finding each table's stream with DescribeTable. */
    public static ChangeFeed.Source source(DynamoDbClient dynamo, DynamoDbStreamsClient streams) {
        TableProvisioner tables = new TableProvisioner(dynamo);
        return new ChangeFeed.Source() {
            @Override
            public ChangeFeed open(String leaderTable, Map<String, String> after) {
                return new DynamoChangeFeed(streams, tables.streamArn(leaderTable), after);
            }

            @Override
            public ChangeFeed openAtTail(String leaderTable) {
                DynamoChangeFeed feed = new DynamoChangeFeed(streams, tables.streamArn(leaderTable), Map.of());
                feed.startAtTail();
                return feed;
            }
        };
    }

    /**
     * Skips what the stream holds now: closed shards are done, open ones are read from LATEST (a
     * position that cannot be saved until a record comes; a resumed feed without one reads the shard
     * from its oldest record, which is safe). Shards that appear later are read whole.
     */
    void startAtTail() {
        discover();
        for (Shard shard : shards.values()) {
            if (closedPerDescription(shard.shardId())) {
                finished.add(shard.shardId());
                iterators.remove(shard.shardId());
            }
        }
        discover(); // the children of the shards just finished
        for (String id : List.copyOf(iterators.keySet())) {
            iterators.put(id, streams.getShardIterator(b -> b.streamArn(streamArn).shardId(id)
                    .shardIteratorType(ShardIteratorType.LATEST)).shardIterator());
        }
    }

    /** @param after stream shard id to the sequence number of the last record already read */
    public DynamoChangeFeed(DynamoDbStreamsClient streams, String streamArn, Map<String, String> after) {
        this(streams, streamArn, after, MAX_RECORDS);
    }

    /** With fewer records per GetRecords: a test's way to see a page that is not at the tail. */
    DynamoChangeFeed(DynamoDbStreamsClient streams, String streamArn, Map<String, String> after, int limit) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.positions = new LinkedHashMap<>(after);
        this.limit = limit;
    }

    @Override
    public Page next() {
        if (closed) {
            throw new IllegalStateException("the change feed of " + streamArn + " is closed");
        }
        if (shards == null || System.nanoTime() - discoveredAt >= REDISCOVERY_NANOS) {
            discover();
        }
        List<ChangeRecord> records = new ArrayList<>();
        boolean atTail = true;
        Queue<String> toRead = new ArrayDeque<>(iterators.keySet());
        while (!toRead.isEmpty()) {
            String shardId = toRead.remove();
            atTail &= read(shardId, records);
            if (finished.contains(shardId)) {
                // Its children may start now; read them in this call too, or the tail would be missed.
                Set<String> open = new HashSet<>(iterators.keySet());
                discover();
                iterators.keySet().stream().filter(id -> !open.contains(id)).forEach(toRead::add);
            }
        }
        return new Page(List.copyOf(records), atTail);
    }

    @Override
    public Map<String, String> positions() {
        return Map.copyOf(positions);
    }

    @Override
    public void close() {
        closed = true;
        iterators.clear();
    }

    /**
     * One GetRecords of a stream shard, its records added to {@code out}. True when the shard held nothing
     * more than it returned: fewer records than the limit, and either open or read to its end.
     */
    private boolean read(String shardId, List<ChangeRecord> out) {
        GetRecordsResponse response;
        try {
            String iterator = iterators.get(shardId);
            response = streams.getRecords(b -> b.shardIterator(iterator).limit(limit));
        } catch (ExpiredIteratorException e) {
            iterators.put(shardId, resume(shardId));
            return false;
        } catch (TrimmedDataAccessException e) {
            if (positions.get(shardId) == null) {
                // DynamoDB Local answers a TRIM_HORIZON read of a stream shard that has no record yet this way.
                iterators.put(shardId, iterator(shardId, null));
                return true;
            }
            LOG.error("stream {} was trimmed past record {} of stream shard {}: reading it from its oldest record; "
                    + "the targets may have missed changes", streamArn, positions.get(shardId), shardId);
            positions.remove(shardId);
            iterators.put(shardId, iterator(shardId, null));
            return false;
        }
        List<Record> records = response.records();
        for (Record record : records) {
            out.add(StreamEvents.toChange(record));
        }
        if (!records.isEmpty()) {
            positions.put(shardId, records.getLast().dynamodb().sequenceNumber());
        }
        if (response.nextShardIterator() == null) {
            iterators.remove(shardId);
            finished.add(shardId);
            return records.size() < limit;
        }
        iterators.put(shardId, response.nextShardIterator());
        return records.size() < limit && !closedPerDescription(shardId);
    }

    /** A closed shard still gives an iterator until it is read to its end: only then is it done. */
    private boolean closedPerDescription(String shardId) {
        Shard shard = shards.get(shardId);
        return shard != null && shard.sequenceNumberRange() != null
                && shard.sequenceNumberRange().endingSequenceNumber() != null;
    }

    /** Lists the stream's shards, and opens each whose parent is read to its end or no longer in the stream. */
    private void discover() {
        discoveredAt = System.nanoTime();
        Map<String, Shard> listed = new LinkedHashMap<>();
        String start = null;
        do {
            String from = start;
            var description = streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(from))
                    .streamDescription();
            description.shards().forEach(s -> listed.put(s.shardId(), s));
            start = description.lastEvaluatedShardId();
        } while (start != null);
        shards = listed;
        positions.keySet().retainAll(listed.keySet()); // positions in trimmed shards lead nowhere
        for (Shard shard : listed.values()) {
            String id = shard.shardId();
            String parent = shard.parentShardId();
            boolean parentDone = parent == null || !listed.containsKey(parent) || finished.contains(parent);
            if (parentDone && !iterators.containsKey(id) && !finished.contains(id)) {
                iterators.put(id, resume(id));
            }
        }
    }

    /** An iterator after the shard's position, or from its oldest record when it has none or it can't be resumed. */
    private String resume(String shardId) {
        String position = positions.get(shardId);
        if (position != null) {
            try {
                return iterator(shardId, position);
            } catch (RuntimeException e) {
                // Malformed, unknown or trimmed (DynamoDB Local throws several kinds): re-reading is safe.
                LOG.warn("stream {}: cannot resume stream shard {} after record {} ({}); reading it from its oldest record",
                        streamArn, shardId, position, e.toString());
                positions.remove(shardId);
            }
        }
        return iterator(shardId, null);
    }

    private String iterator(String shardId, String afterSequenceNumber) {
        return streams.getShardIterator(b -> {
            b.streamArn(streamArn).shardId(shardId);
            if (afterSequenceNumber == null) {
                b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            } else {
                b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(afterSequenceNumber);
            }
        }).shardIterator();
    }
}
