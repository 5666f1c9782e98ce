package dev.shardkv.local;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The embedded runtime's settings ({@code shardkv.*}). */
@ConfigMapping(prefix = "shardkv")
public interface LocalConfig {

    /** The topology file: a path, or {@code classpath:<resource>}. */
    String topology();

    /** DynamoDB Local over HTTP at this port; absent: in-process, no port. */
    Optional<Integer> dynamodbPort();

    /**
     * Where that HTTP port listens: a loopback address only, since DynamoDB Local checks no credentials (see
     * {@code DynamoDbLocal.http}); any other host is refused at start.
     */
    @WithDefault("127.0.0.1")
    String dynamodbHost();

    /** Keep the tables and stream positions in this folder across restarts (locked while running); absent: in memory. */
    Optional<String> dataDir();

    Replication replication();

    /**
     * Shard-function invocations (writer, reader, coordinator) that run at once, as a Lambda concurrency
     * limit; absent: three per processor. More waiting callers than that wait up to 1 s, then 503.
     */
    Optional<Integer> functionSlots();

    Auth auth();

    Bench bench();

    interface Bench {
        /** Serve BareRoute's {@code /bench/bare} (the benchmark's baseline of the HTTP stack); never in production. */
        @WithDefault("false")
        boolean bareRoute();
    }

    interface Auth {
        /**
         * When set, /v1/ and /q/metrics need "Authorization: Bearer <token>" (see TokenAuthFilter). Give it as the
         * environment variable SHARDKV_AUTH_TOKEN rather than -D, which every user sees in ps.
         */
        Optional<String> token();

        /** A file holding the token (surrounding whitespace ignored), read at start: the token never on a command line. */
        Optional<String> tokenFile();

        /**
         * When set, /v1/admin/ needs "Authorization: Bearer <admin token>", and the admin token also passes wherever
         * the token does (see TokenAuthFilter). Also read from the environment variable SHARDKV_ADMIN_TOKEN (see
         * application.properties), the one the CLI sends.
         */
        Optional<String> adminToken();

        /** A file holding the admin token, as {@link #tokenFile()} holds the token. */
        Optional<String> adminTokenFile();
    }

    interface Replication {
        /** How often each leader's stream is polled when it has nothing new. */
        @WithDefault("50ms")
        Duration pollInterval();

        /** At most this many stream records per replicator invocation (the mapping's BatchSize). */
        @WithDefault("100")
        int batchSize();

        /** Retries of a failing record before it is parked (the mapping's MaximumRetryAttempts). */
        @WithDefault("3")
        int maxRetries();

        /**
         * How often an idle pump proves its replicas caught up: by a poll, or without one while the idle proof stands
         * (a write through ShardKV ends the wait at once); an idle replica's lag is at most about this much.
         */
        @WithDefault("250ms")
        Duration idleInterval();

        /**
         * How long a poll that read a leader's stream to its end still proves the replicas caught up while no write
         * nudges the pump (every write through this runtime does), so idle shards are polled that much less. Only with
         * DynamoDB Local in this process: over {@code dynamodb-port} others may write the tables, and every proof is a poll.
         */
        @WithDefault("5s")
        Duration idleProof();

        /** How often every leader gets a heartbeat (idle lag comes from the polls; heartbeats prove the whole path). */
        @WithDefault("5s")
        Duration heartbeatInterval();

        /** A replica with nothing applied for this long has unknown lag and is unhealthy. */
        @WithDefault("5s")
        Duration unknownAfter();

        /** The time span (a sliding window) of the delay percentiles in /v1/replication. */
        @WithDefault("60s")
        Duration delayWindow();

        /**
         * AWS's shape, simulated: each leader's stream records are spread over this many virtual stream shards by key
         * hash and delivered concurrently (1: the stream as DynamoDB Local has it, one shard read in order).
         */
        @WithDefault("1")
        int streamShards();

        /** Concurrent lanes per virtual stream shard, by key hash (the event source mapping's ParallelizationFactor, 1-10). */
        @WithDefault("1")
        int parallelization();

        /**
         * Injected delays of virtual stream shards, as {@code shard=delay[,shard=delay]} (0-based shards, e.g.
         * {@code 2=3s}): their records wait that long before they are delivered (a slow or held-back stream shard).
         */
        Optional<String> streamDelays();

        /**
         * Virtual stream shards that split while the runtime runs, as {@code shard@after[,shard@after]} (e.g.
         * {@code 1@30s}: shard 1 splits 30 s after start), as DynamoDB splits a busy partition: the parent's lanes end
         * once they have delivered what they hold, then two children carry its keys on.
         */
        Optional<String> streamSplits();

        /** Writes to a shard get 429 while one of its replicas is further behind than this (0s: never). */
        @WithDefault("1s")
        Duration writeThrottleLag();
    }
}
