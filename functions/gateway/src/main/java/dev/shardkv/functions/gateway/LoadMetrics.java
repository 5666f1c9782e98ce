package dev.shardkv.functions.gateway;

import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.gateway.ShardLoad;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Reads, Writes, Throttles and WritesThrottled (refused by the write throttle) per shard to CloudWatch (EMF, dimension {Shard}): after each request the
 * gateway emits what changed since the last request it answered, so nothing is counted twice. At most once a
 * second it also emits, for every live shard, ShardReadsPerSecond, ShardWritesPerSecond (over the last 10 s) and
 * ShardHot (1 or 0), as this gateway instance sees them: Lambda runs several instances, each with its share of
 * the requests, so the rates are one instance's (the cluster's are Reads and Writes summed per period) and
 * ShardHot is best read as the Maximum over instances.
 */
public class LoadMetrics {
    static final long RATES_EVERY_MS = 1_000;

    @Inject
    Gateway gateway;

    @ConfigProperty(name = "powertools.metrics.namespace", defaultValue = "ShardKV")
    String namespace;

    private final Map<String, ShardLoad.Snapshot> flushed = new HashMap<>();
    private final Map<String, Long> throttledFlushed = new HashMap<>();
    private long ratesFlushedAt; // epoch ms; 0: never

    @ServerResponseFilter
    public void afterEachRequest() {
        for (var shard : gateway.shardMap().shards()) {
            ShardLoad.Snapshot now = gateway.load().of(shard.id());
            long throttledNow = gateway.throttle().state(shard).rejected();
            ShardLoad.Snapshot before;
            long throttledBefore;
            synchronized (flushed) {
                before = flushed.getOrDefault(shard.id(), new ShardLoad.Snapshot(0, 0, 0));
                flushed.put(shard.id(), now);
                throttledBefore = throttledFlushed.getOrDefault(shard.id(), 0L);
                throttledFlushed.put(shard.id(), throttledNow);
            }
            long reads = now.reads() - before.reads();
            long writes = now.writes() - before.writes();
            long throttles = now.throttles() - before.throttles();
            long writesThrottled = throttledNow - throttledBefore;
            if (reads == 0 && writes == 0 && throttles == 0 && writesThrottled == 0) {
                continue;
            }
            MetricsFactory.getMetricsInstance().flushMetrics(m -> {
                m.setNamespace(namespace);
                m.clearDefaultDimensions();
                m.addDimension(DimensionSet.of("Shard", shard.id()));
                m.addMetric("Reads", reads, MetricUnit.COUNT);
                m.addMetric("Writes", writes, MetricUnit.COUNT);
                m.addMetric("Throttles", throttles, MetricUnit.COUNT);
                m.addMetric("WritesThrottled", writesThrottled, MetricUnit.COUNT);
            });
        }
        if (ratesDue(System.currentTimeMillis())) {
            flushRates(MetricsFactory.getMetricsInstance(), namespace, gateway.load().report(gateway.shardMap()));
        }
    }

    /** Whether the rates are due at {@code now}: the first time, then once {@link #RATES_EVERY_MS} has passed. */
    synchronized boolean ratesDue(long now) {
        if (now - ratesFlushedAt < RATES_EVERY_MS) {
            return false;
        }
        ratesFlushedAt = now;
        return true;
    }

    /** One EMF line per shard, dimension {Shard}: its rates and whether it is hot. */
    static void flushRates(Metrics metrics, String namespace, List<ShardLoad.Report> reports) {
        for (ShardLoad.Report report : reports) {
            metrics.flushMetrics(m -> {
                m.setNamespace(namespace);
                m.clearDefaultDimensions();
                m.addDimension(DimensionSet.of("Shard", report.shard()));
                m.addMetric("ShardReadsPerSecond", report.rates().readsPerSecond(), MetricUnit.COUNT_SECOND);
                m.addMetric("ShardWritesPerSecond", report.rates().writesPerSecond(), MetricUnit.COUNT_SECOND);
                m.addMetric("ShardHot", report.hot() ? 1 : 0, MetricUnit.COUNT);
            });
        }
    }
}
