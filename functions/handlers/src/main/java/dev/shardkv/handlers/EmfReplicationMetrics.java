package dev.shardkv.handlers;

import dev.shardkv.core.kv.Keys;
import dev.shardkv.core.replication.ApplyResult;
import dev.shardkv.core.replication.ChangeRecord;
import dev.shardkv.core.replication.ReplicationListener;
import dev.shardkv.core.replication.Watermark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The replicator's metrics on AWS: CloudWatch Embedded Metric Format through Powertools, one log line
 * per replica per batch, dimensions exactly {Shard, Replica} (no Service dimension), namespace from
 * POWERTOOLS_METRICS_NAMESPACE (ShardKV). Every record's delay (applied on the replica - committed on
 * the leader) is a value of ReplicationDelayMs, so CloudWatch computes the percentiles from all of them.
 * ReplicaLagMs is the replica's lag when the batch's newest record was applied on it (its watermark's
 * commit time to then): one value per replica per batch, the heartbeat keeping it coming on idle shards.
 */
public final class EmfReplicationMetrics implements ReplicationListener {
    /** EMF takes at most 100 values of one metric in one log line. */
    static final int MAX_VALUES = 100;
    private final Metrics metrics;
    private final String namespace;
    private final Map<Integer, Batch> batch = new TreeMap<>();

    private static final class Batch {
        final List<Double> delays = new ArrayList<>();
        final List<Double> heartbeatAges = new ArrayList<>();
        Watermark watermark;
        long records;
        long errors;
    }

    public EmfReplicationMetrics(String namespace) {
        this(MetricsFactory.getMetricsInstance(), namespace);
    }

    EmfReplicationMetrics(Metrics metrics, String namespace) {
        this.metrics = metrics;
        this.namespace = namespace;
    }

    @Override
    public void applied(String shard, int replica, ChangeRecord record, ApplyResult result, long appliedAt) {
        synchronized (batch) {
            Batch b = batch.computeIfAbsent(replica, r -> new Batch());
            b.records++;
            if (record.commitTs() >= 0 && result != ApplyResult.IGNORED) {
                double delay = Math.max(0, appliedAt - record.commitTs());
                b.delays.add(delay);
                if (Keys.HEARTBEAT_KEY.equals(record.key())) {
                    b.heartbeatAges.add(delay);
                }
            }
        }
    }

    @Override
    public void failed(String shard, int replica, ChangeRecord record, Exception error) {
        synchronized (batch) {
            batch.computeIfAbsent(replica, r -> new Batch()).errors++;
        }
    }

    @Override
    public void watermark(String shard, int replica, Watermark watermark) {
        synchronized (batch) {
            Batch b = batch.computeIfAbsent(replica, r -> new Batch());
            if (b.watermark == null || watermark.ts() >= b.watermark.ts()) {
                b.watermark = watermark;
            }
        }
    }

    @Override
    public void batchDone(String shard) {
        Map<Integer, Batch> done;
        synchronized (batch) {
            done = new TreeMap<>(batch);
            batch.clear();
        }
        done.forEach((replica, b) -> {
            int lines = Math.max(1, (Math.max(b.delays.size(), b.heartbeatAges.size()) + MAX_VALUES - 1) / MAX_VALUES);
            for (int line = 0; line < lines; line++) {
                int from = line * MAX_VALUES;
                boolean first = line == 0;
                metrics.flushMetrics(m -> {
                    m.setNamespace(namespace);
                    m.clearDefaultDimensions();
                    m.addDimension(DimensionSet.of("Shard", shard, "Replica", "replica-" + replica));
                    slice(b.delays, from).forEach(v -> m.addMetric("ReplicationDelayMs", v, MetricUnit.MILLISECONDS));
                    slice(b.heartbeatAges, from).forEach(v -> m.addMetric("HeartbeatAgeMs", v, MetricUnit.MILLISECONDS));
                    if (first) {
                        m.addMetric("ReplicatedRecords", b.records, MetricUnit.COUNT);
                        m.addMetric("ReplicationErrors", b.errors, MetricUnit.COUNT);
                        if (b.watermark != null) {
                            m.addMetric("ReplicaLagMs", b.watermark.lagAt(b.watermark.appliedAt()), MetricUnit.MILLISECONDS);
                        }
                    }
                });
            }
        });
    }

    private static List<Double> slice(List<Double> values, int from) {
        return from >= values.size() ? List.of() : values.subList(from, Math.min(values.size(), from + MAX_VALUES));
    }
}
