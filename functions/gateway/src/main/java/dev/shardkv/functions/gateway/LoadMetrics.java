package dev.shardkv.functions.gateway;

import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.gateway.ShardLoad;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Reads, Writes, Throttles and WritesThrottled (refused by the write throttle) per shard to CloudWatch (EMF, dimension {Shard}): after each request the
 * gateway emits what changed since the last request it answered, so nothing is counted twice.
 */
public class LoadMetrics {
    @Inject
    Gateway gateway;

    @ConfigProperty(name = "powertools.metrics.namespace", defaultValue = "ShardKV")
    String namespace;

    private final Map<String, ShardLoad.Snapshot> flushed = new HashMap<>();
    private final Map<String, Long> throttledFlushed = new HashMap<>();

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
    }
}
