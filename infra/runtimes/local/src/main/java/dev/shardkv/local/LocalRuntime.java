package dev.shardkv.local;

import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.reshard.Reshards;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.embedded.DynamoDbLocal;
import dev.shardkv.embedded.DataDirectoryException;
import dev.shardkv.embedded.EmbeddedCluster;
import dev.shardkv.embedded.StreamPump;
import dev.shardkv.embedded.VirtualShards;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Starts the embedded cluster when the server starts and stops it on shutdown (Ctrl-C included).
 */
@Startup
@Singleton
public class LocalRuntime {
    private static final Logger LOG = Logger.getLogger(LocalRuntime.class);
    private final EmbeddedCluster cluster;

    public LocalRuntime(LocalConfig config, MeterRegistry registry) {
        long started = System.nanoTime();
        requireLoopbackDynamoDbHost(config.dynamodbHost());
        Topology topology = loadTopology(config.topology());
        LocalConfig.Replication r = config.replication();
        EmbeddedCluster.Settings settings = new EmbeddedCluster.Settings(topology,
                config.dynamodbPort().orElse(null),
                config.dataDir().map(Path::of).orElse(null),
                new StreamPump.Settings(r.batchSize(), r.pollInterval(), r.maxRetries(), StreamPump.Settings.DEFAULT.retryBackoff(),
                        r.idleInterval(), config.dynamodbPort().isPresent() ? java.time.Duration.ZERO : r.idleProof(),
                        shape(r)),
                r.heartbeatInterval(), r.unknownAfter(), r.delayWindow(),
                dev.shardkv.core.shard.ShardWriter.DEFAULT_TOMBSTONE_TTL, config.dynamodbHost(), r.writeThrottleLag(),
                config.functionSlots().orElse(EmbeddedCluster.Settings.DEFAULT_FUNCTION_SLOTS));
        MicrometerReplicationMetrics metrics = new MicrometerReplicationMetrics(registry);
        try (StartupGuard guard = StartupGuard.arm()) {
            this.cluster = EmbeddedCluster.start(settings, metrics);
        } catch (DataDirectoryException e) {
            // The user's to fix, so say it plainly where scripts look; Quarkus then logs the failed start
            // and exits with 1. (Not PreventFurtherStepsException: thrown here, Quarkus would run on with no port.)
            System.err.println("shardkv: " + e.getMessage());
            throw e;
        }
        metrics.bind(cluster.shardMap(), cluster.tracker(), () -> cluster.gateway().load(),
                cluster.gateway().throttle(), () -> cluster.gateway().shardMap(),
                cluster.gateway().verifications()); // held strongly: meters keep only weak references
        LOG.infof("embedded cluster up in %d ms: %s", (System.nanoTime() - started) / 1_000_000, describe(config));
    }

    /** The simulated stream shape; a shape AWS cannot have stops the start with the reason, said plainly. */
    private static VirtualShards.Shape shape(LocalConfig.Replication r) {
        try {
            return new VirtualShards.Shape(r.streamShards(), r.parallelization(),
                    VirtualShards.Shape.delays(r.streamDelays().orElse("")),
                    VirtualShards.Shape.splits(r.streamSplits().orElse("")));
        } catch (IllegalArgumentException e) {
            System.err.println("shardkv: shardkv.replication: " + e.getMessage());
            throw e;
        }
    }

    @Produces
    @Singleton
    Gateway gateway() {
        return cluster.gateway();
    }

    /** The cluster's splits and merges. */
    @Produces
    @Singleton
    Reshards reshards() {
        return cluster.reshards();
    }

    public EmbeddedCluster cluster() {
        return cluster;
    }

    @PreDestroy
    void stop() {
        cluster.close();
    }

    /** Refused even without a port: a setting that asks for the unauthenticated emulator beyond loopback is a mistake. */
    static void requireLoopbackDynamoDbHost(String host) {
        try {
            DynamoDbLocal.requireLoopback(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("shardkv.dynamodb-host=" + host + " refused. " + e.getMessage(), e);
        }
    }

    static Topology loadTopology(String location) {
        if (location.startsWith("classpath:")) {
            return Topology.fromClasspath(location.substring("classpath:".length()));
        }
        Path path = Path.of(location);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("no topology file at " + path.toAbsolutePath()
                    + " (set shardkv.topology, or run ./shardkv local from the repository root)");
        }
        return Topology.load(path);
    }

    private String describe(LocalConfig config) {
        StringBuilder text = new StringBuilder();
        text.append(cluster.dynamoDbEndpoint() == null ? "DynamoDB Local in-process"
                : "DynamoDB Local at " + cluster.dynamoDbEndpoint() + " (loopback only: it checks no credentials)");
        text.append(config.dataDir().map(d -> ", data in " + Path.of(d).toAbsolutePath()).orElse(", in memory"));
        text.append("; routing ").append(cluster.shardMap().routing().json()).append(", epoch ")
                .append(cluster.shardMap().epoch());
        for (ShardEntry shard : cluster.shardMap().shards()) {
            text.append("\n  shard ").append(shard.id()).append(" [")
                    .append(shard.start() == null ? "-inf" : "\"" + shard.start() + "\"").append(", ")
                    .append(shard.end() == null ? "+inf" : "\"" + shard.end() + "\"").append(")  leader ")
                    .append(shard.leader()).append("  replicas ").append(String.join(", ", shard.replicas()));
        }
        return text.toString();
    }
}
