package dev.shardkv.handlers;

import dev.shardkv.core.verify.LastVerification;
import dev.shardkv.core.verify.VerificationListener;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The resharder function's verification metric on AWS: after each replica's verification, one EMF log line with
 * ReplicaDivergentItems (the differences it left unrepaired; 0 when clean or all repaired), dimensions exactly
 * {Shard, Replica} as the replicator's metrics. The resharder sends it because it is the only process that sees
 * the verification end; a replica never verified has no data point, not a 0.
 */
public final class EmfVerificationMetrics implements VerificationListener {
    private final Metrics metrics;
    private final String namespace;

    public EmfVerificationMetrics(String namespace) {
        this(MetricsFactory.getMetricsInstance(), namespace);
    }

    EmfVerificationMetrics(Metrics metrics, String namespace) {
        this.metrics = metrics;
        this.namespace = namespace;
    }

    @Override
    public void verified(int replica, LastVerification last) {
        metrics.flushMetrics(m -> {
            m.setNamespace(namespace);
            m.clearDefaultDimensions();
            m.addDimension(DimensionSet.of("Shard", last.shard(), "Replica", "replica-" + replica));
            m.addMetric("ReplicaDivergentItems", last.unrepaired(), MetricUnit.COUNT);
        });
    }
}
