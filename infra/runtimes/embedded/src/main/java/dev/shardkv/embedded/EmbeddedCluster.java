package dev.shardkv.embedded;

import dev.shardkv.core.assembly.Assembly;
import dev.shardkv.core.assembly.Stores;
import dev.shardkv.core.gateway.Gateway;
import dev.shardkv.core.replication.ReplicationListener;
import dev.shardkv.core.replication.ReplicationTracker;
import dev.shardkv.core.replication.Replicator;
import dev.shardkv.core.reshard.Operation;
import dev.shardkv.core.reshard.OperationKind;
import dev.shardkv.core.reshard.Resharder;
import dev.shardkv.core.reshard.Reshards;
import dev.shardkv.core.shard.Heartbeater;
import dev.shardkv.core.shard.ShardWriter;
import dev.shardkv.core.topology.ShardEntry;
import dev.shardkv.core.topology.ShardMap;
import dev.shardkv.core.topology.ShardMapSource;
import dev.shardkv.core.topology.Topology;
import dev.shardkv.dynamodb.DynamoChangeFeed;
import dev.shardkv.dynamodb.DynamoStores;
import dev.shardkv.dynamodb.TableProvisioner;
import dev.shardkv.handlers.CoordinatorFunction;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The whole system in one process: DynamoDB Local, the tables of the topology, per shard the writer,
 * reader and replicator functions (the same handler classes the Lambdas run), a stream pump per
 * leader in place of the event source mapping, the heartbeat timer, and the gateway's routing core.
 */
public final class EmbeddedCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCluster.class);

    /**
     * @param dynamoDbPort      null: DynamoDB Local in-process with no port; a number: HTTP on dynamoDbHost (0 = any free port)
     * @param dataDir           null: in memory; a folder: tables and stream positions kept across restarts
     *                          (created if absent, must be writable, used by one cluster at a time)
     * @param heartbeatInterval how often every leader gets a heartbeat
     * @param unknownAfter      a replica with nothing applied for this long has unknown lag (unhealthy)
     * @param delayWindow       the time span (a sliding window) of the delay percentiles
     * @param dynamoDbHost      where that HTTP port listens: a loopback address, anything else is refused
     * @param writeThrottleLag  writes to a shard are refused while a replica is further behind (zero: never)
     * @param functionSlots     shard-function invocations that run at once (see FunctionConcurrency)
     * @param reshard           how splits and merges run
     */
    public record Settings(Topology topology, Integer dynamoDbPort, Path dataDir, StreamPump.Settings pump,
            Duration heartbeatInterval, Duration unknownAfter, Duration delayWindow, Duration tombstoneTtl,
            String dynamoDbHost, Duration writeThrottleLag, int functionSlots, Resharder.Settings reshard) {

        /** With the default reshard settings. */
        public Settings(Topology topology, Integer dynamoDbPort, Path dataDir, StreamPump.Settings pump,
                Duration heartbeatInterval, Duration unknownAfter, Duration delayWindow, Duration tombstoneTtl,
                String dynamoDbHost, Duration writeThrottleLag, int functionSlots) {
            this(topology, dynamoDbPort, dataDir, pump, heartbeatInterval, unknownAfter, delayWindow, tombstoneTtl,
                    dynamoDbHost, writeThrottleLag, functionSlots, Resharder.Settings.DEFAULT);
        }

        /**
         * Off in the cluster as a library (its tests and tools are not about admission control, and a slow machine
         * must not fail them); the runtime, {@code ./shardkv local}, turns it on at 1 s (LocalConfig).
         */
        public static final Duration DEFAULT_WRITE_THROTTLE_LAG = Duration.ZERO;
        /**
         * Heartbeats prove the whole path (write, stream, apply) now and then; an idle replica's lag comes from its
         * pump reading the stream to its end ({@link Replicator#caughtUp}), so they need not be frequent.
         */
        public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

        /**
         * Three per processor: enough to keep the cores and DynamoDB Local's one SQLite thread busy (fewer
         * capped throughput below the unbounded runtime's), few enough that the replicators are not starved
         * (measured in BENCHMARKS.md with 3, 6, 10 and 64 slots on 2 cores).
         */
        public static final int DEFAULT_FUNCTION_SLOTS = 3 * Runtime.getRuntime().availableProcessors();

        /** DynamoDB Local's HTTP port, if any, on 127.0.0.1; no write throttle; the default function slots. */
        public Settings(Topology topology, Integer dynamoDbPort, Path dataDir, StreamPump.Settings pump,
                Duration heartbeatInterval, Duration unknownAfter, Duration delayWindow, Duration tombstoneTtl) {
            this(topology, dynamoDbPort, dataDir, pump, heartbeatInterval, unknownAfter, delayWindow, tombstoneTtl,
                    DynamoDbLocal.LOOPBACK, DEFAULT_WRITE_THROTTLE_LAG, DEFAULT_FUNCTION_SLOTS);
        }

        public static Settings defaults(Topology topology) {
            return new Settings(topology, null, null, StreamPump.Settings.DEFAULT, DEFAULT_HEARTBEAT_INTERVAL,
                    Duration.ofSeconds(5), Duration.ofSeconds(60), ShardWriter.DEFAULT_TOMBSTONE_TTL);
        }

        public Settings withDynamoDbPort(Integer port) {
            return withDynamoDb(dynamoDbHost, port);
        }

        public Settings withDynamoDb(String host, Integer port) {
            return new Settings(topology, port, dataDir, pump, heartbeatInterval, unknownAfter, delayWindow, tombstoneTtl,
                    host, writeThrottleLag, functionSlots, reshard);
        }

        public Settings withDataDir(Path dir) {
            return new Settings(topology, dynamoDbPort, dir, pump, heartbeatInterval, unknownAfter, delayWindow, tombstoneTtl,
                    dynamoDbHost, writeThrottleLag, functionSlots, reshard);
        }

        public Settings withPump(StreamPump.Settings p) {
            return new Settings(topology, dynamoDbPort, dataDir, p, heartbeatInterval, unknownAfter, delayWindow, tombstoneTtl,
                    dynamoDbHost, writeThrottleLag, functionSlots, reshard);
        }

        public Settings withHeartbeat(Duration interval, Duration unknown) {
            return new Settings(topology, dynamoDbPort, dataDir, pump, interval, unknown, delayWindow, tombstoneTtl,
                    dynamoDbHost, writeThrottleLag, functionSlots, reshard);
        }

        public Settings withFunctionSlots(int slots) {
            return new Settings(topology, dynamoDbPort, dataDir, pump, heartbeatInterval, unknownAfter, delayWindow,
                    tombstoneTtl, dynamoDbHost, writeThrottleLag, slots, reshard);
        }

        public Settings withReshard(Resharder.Settings next) {
            return new Settings(topology, dynamoDbPort, dataDir, pump, heartbeatInterval, unknownAfter, delayWindow,
                    tombstoneTtl, dynamoDbHost, writeThrottleLag, functionSlots, next);
        }

        public Settings withWriteThrottleLag(Duration lag) {
            return new Settings(topology, dynamoDbPort, dataDir, pump, heartbeatInterval, unknownAfter, delayWindow,
                    tombstoneTtl, dynamoDbHost, lag, functionSlots, reshard);
        }
    }

    private final Settings settings;
    private final DataDirectory dataDirectory;
    private final DynamoDbLocal dynamoDbLocal;
    private final ShardMapSource maps;
    private final ReplicationTracker tracker;
    private final ShardRuntimes shards;
    private final Stores stores;
    private final ParkedRecords parked = new ParkedRecords();
    private final InProcessShardClient shardClient;
    private final Gateway gateway;
    private final Heartbeater heartbeater;
    private final ScheduledExecutorService timer;
    private final Resharder resharder;

    private EmbeddedCluster(Settings settings, DataDirectory dataDirectory, DynamoDbLocal dynamoDbLocal,
            ReplicationListener extraListener, Decorators decorators) {
        this.settings = settings;
        this.dataDirectory = dataDirectory;
        this.dynamoDbLocal = dynamoDbLocal;
        Topology topology = settings.topology();
        Clock clock = Clock.systemUTC();
        long started = System.nanoTime();
        DynamoDbClient dynamo = dynamoDbLocal.dynamo();
        TableProvisioner provisioner = new TableProvisioner(dynamo);
        provisioner.create(topology.controlTable(), false); // the shards' tables come with the map's shards

        // Every write to a leader table nudges its pump, whoever makes it: what lets a pump trust "no nudge" (idleProof).
        Stores stores = new NudgingStores(decorators.stores().apply(new DynamoStores(dynamo)), this::nudgeLeader);
        this.stores = stores;
        Assembly assembly = new Assembly(topology, stores, clock, new Assembly.Settings(
                settings.tombstoneTtl(), settings.unknownAfter(), settings.delayWindow(), null, settings.writeThrottleLag()));
        this.maps = assembly.seededMaps();
        this.tracker = assembly.tracker();
        ReplicationListener listener = extraListener == null ? tracker : ReplicationListener.both(tracker, extraListener);

        // Stream positions only persist with the tables; in memory every start reads the new streams whole.
        StreamCheckpoints checkpoints = dataDirectory == null ? null : new StreamCheckpoints(dynamo, topology.controlTable());
        this.heartbeater = new Heartbeater(Map.of(), clock);
        this.shards = new ShardRuntimes(topology, assembly, provisioner, dynamoDbLocal.streams(), settings.pump(),
                parked, checkpoints, listener, heartbeater);
        // The map's shards (after a reshard, not the topology's), with the replicas being added already fed, as
        // Terraform's topology has them on AWS: writes made before the operation resumes reach them too.
        List<Operation> adding = assembly.operations().list().stream()
                .filter(o -> o.isActive() && o.kind() == OperationKind.ADD_REPLICA).toList();
        for (ShardEntry shard : maps.current().shards()) {
            shards.add(adding.stream().filter(o -> o.sources().getFirst().equals(shard))
                    .map(o -> o.targets().getFirst()).findFirst().orElse(shard));
        }
        this.shardClient = new InProcessShardClient(topology, shards, new CoordinatorFunction(assembly.coordinator()),
                new FunctionConcurrency(settings.functionSlots(), Duration.ofSeconds(1)));
        this.gateway = assembly.gateway(decorators.shardClient().apply(shardClient));
        this.resharder = new Resharder(topology, stores, DynamoChangeFeed.source(dynamo, dynamoDbLocal.streams()),
                new EmbeddedHost(shards), clock, settings.reshard());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat");
            t.setDaemon(true);
            return t;
        });
        LOG.debug("cluster built in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    /** The stores every component works through (writes to a leader table nudge its pump). */
    Stores stores() {
        return stores;
    }

    /** Nudges the pump of the running shard whose leader table this is (nothing for other tables). */
    private void nudgeLeader(String table) {
        ShardRuntimes running = shards; // null while the cluster is being built
        if (running != null) {
            running.pumpOfLeader(table).ifPresent(StreamPump::nudge);
        }
    }

    public static EmbeddedCluster start(Settings settings) {
        return start(settings, null);
    }

    public static EmbeddedCluster start(Settings settings, ReplicationListener extraListener) {
        return start(settings, extraListener, Decorators.NONE);
    }

    /**
     * @param extraListener also told about every applied record (metrics); may be null
     * @param decorators    wrap the stores the components use and the gateway's shard client
     * @throws DataDirectoryException when the data directory cannot be created, is not writable, or is in use
     */
    public static EmbeddedCluster start(Settings settings, ReplicationListener extraListener, Decorators decorators) {
        // Checked and locked before DynamoDB Local opens it: the emulator would retry an unwritable
        // folder forever, and two of them on one file fail each other's writes.
        DataDirectory dataDirectory = settings.dataDir() == null ? null : DataDirectory.open(settings.dataDir());
        DynamoDbLocal dynamoDbLocal = null;
        EmbeddedCluster cluster;
        try {
            dynamoDbLocal = settings.dynamoDbPort() == null
                    ? DynamoDbLocal.inProcess(settings.dataDir())
                    : DynamoDbLocal.http(settings.dynamoDbHost(), settings.dynamoDbPort(), settings.dataDir());
            cluster = new EmbeddedCluster(settings, dataDirectory, dynamoDbLocal, extraListener, decorators);
        } catch (RuntimeException e) {
            closeQuietly(dynamoDbLocal, e);
            closeQuietly(dataDirectory, e);
            throw e;
        }
        cluster.shards.all().forEach(shard -> shard.pump().start());
        cluster.heartbeater.beatOnce();
        long every = settings.heartbeatInterval().toMillis();
        cluster.timer.scheduleAtFixedRate(() -> {
            cluster.heartbeater.beatOnce();
            cluster.shards.all().forEach(shard -> shard.pump().nudge()); // the beats are in the streams
        }, every, every, TimeUnit.MILLISECONDS);
        cluster.resharder.resumeAll(); // splits and merges a stop interrupted
        return cluster;
    }

    private static void closeQuietly(AutoCloseable resource, RuntimeException failure) {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    public Topology topology() {
        return settings.topology();
    }

    public Settings settings() {
        return settings;
    }

    public Gateway gateway() {
        return gateway;
    }

    public InProcessShardClient shardClient() {
        return shardClient;
    }

    public ShardMap shardMap() {
        return maps.current();
    }

    public ReplicationTracker tracker() {
        return tracker;
    }

    public DynamoDbClient dynamo() {
        return dynamoDbLocal.dynamo();
    }

    /** The DynamoDB Streams client of the emulator (to read a leader's history in tests). */
    public software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient streams() {
        return dynamoDbLocal.streams();
    }

    /** The DynamoDB Local HTTP endpoint, or null when it runs in-process without a port. */
    public java.net.URI dynamoDbEndpoint() {
        return dynamoDbLocal.endpoint();
    }

    /** Runs a shard the map does not have yet (a reshard's target): its tables, functions, pump and heartbeat. */
    public void addShard(ShardEntry shard) {
        shards.add(shard).pump().start();
    }

    /** Stops a shard's functions and heartbeat (a retired source); its tables stay. */
    public void stopShard(String shard) {
        shards.stop(shard);
    }

    public Replicator replicator(String shard) {
        return shards.get(shard).replicator();
    }

    public StreamPump pump(String shard) {
        return shards.get(shard).pump();
    }

    /** Splits and merges: started, watched, aborted (the admin API's). */
    public Reshards reshards() {
        return resharder;
    }

    public ParkedRecords parked() {
        return parked;
    }

    public Heartbeater heartbeater() {
        return heartbeater;
    }

    @Override
    public void close() {
        gateway.close(); // the front door first: its fan-out threads stop, nothing new reaches the shards
        resharder.close(); // operations stop where they are and resume on the next start
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shards.close(); // each pump saves its stream position
        try {
            dynamoDbLocal.close();
        } finally {
            if (dataDirectory != null) {
                dataDirectory.close(); // last: the emulator has let go of the database file
            }
        }
    }
}
