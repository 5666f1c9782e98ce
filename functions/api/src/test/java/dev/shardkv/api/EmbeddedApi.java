package dev.shardkv.api;

import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.embedded.EmbeddedCluster;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the API's tests serve it over: an embedded cluster of {@code topology-test.json}, in memory,
 * whose gateway the resources are given, with {@link FaultInjection}'s decorators around its stores and
 * shard client. Writes are throttled only when a test profile sets {@code shardkv.replication.write-throttle-lag}.
 */
@Startup
@Singleton
public class EmbeddedApi {
    private final EmbeddedCluster cluster;

    EmbeddedApi(FaultInjection faults,
            @ConfigProperty(name = "shardkv.replication.write-throttle-lag", defaultValue = "0s") Duration throttleLag) {
        EmbeddedCluster.Settings settings = EmbeddedCluster.Settings.defaults(Topology.fromClasspath("topology-test.json"))
                .withWriteThrottleLag(throttleLag);
        this.cluster = EmbeddedCluster.start(settings, null, faults.decorators());
    }

    @Produces
    @Singleton
    Gateway gateway() {
        return cluster.gateway();
    }

    public EmbeddedCluster cluster() {
        return cluster;
    }

    @PreDestroy
    void stop() {
        cluster.close();
    }
}
