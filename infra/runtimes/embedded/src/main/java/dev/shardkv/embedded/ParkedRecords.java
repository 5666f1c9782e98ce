package dev.shardkv.embedded;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded runtime's on-failure destination (an SQS queue on AWS): stream records that still
 * failed after the retries are parked here and logged, never dropped silently.
 */
public final class ParkedRecords {
    private static final Logger LOG = LoggerFactory.getLogger(ParkedRecords.class);
    private static final int KEEP = 1000;

    public record Parked(String shard, String sequenceNumber, String key, String reason, long parkedAt) {
    }

    private final List<Parked> parked = new ArrayList<>();
    private long total;

    public synchronized void park(Parked record) {
        LOG.error("parked stream record {} of shard {} (key {}) after retries: {}", record.sequenceNumber(),
                record.shard(), record.key(), record.reason());
        total++;
        parked.add(record);
        if (parked.size() > KEEP) {
            parked.remove(0);
        }
    }

    public synchronized List<Parked> recent() {
        return List.copyOf(parked);
    }

    public synchronized long total() {
        return total;
    }
}
