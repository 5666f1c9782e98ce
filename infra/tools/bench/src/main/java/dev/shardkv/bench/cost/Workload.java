package dev.shardkv.bench.cost;

/**
 * What the cost model is asked about: the traffic, the deployment's shape and the figures each request's time and
 * size are built from. Defaults are Terraform's ({@code terraform/variables.tf}, {@code topology.json}) or the
 * repository's own settings, and where nothing measured applies on AWS, stated assumptions (see the option texts of
 * {@code ./shardkv cost}). A plain parameter object: set the fields, {@link #copy} it to vary one.
 */
public final class Workload {
    /** Client writes (puts and deletes) per second, over all shards. */
    public double writesPerS = 10;
    /** Client single-key reads per second, over all shards. */
    public double readsPerS = 90;
    /** Replicas per shard (topology.json: 2). */
    public int replicas = 2;
    /** Shards (topology.json: 3), traffic spread evenly over them. */
    public int shards = 3;
    /** Size of an item as DynamoDB meters it, KB. */
    public double itemKb = 1;
    /** Share of reads that are eventual and served by a replica; the rest are strong reads on the leader. */
    public double eventualShare = 1;
    /** Logical data held (one copy), GB: every leader, replica and Global Tables Region stores it all. */
    public double dataGb = 10;

    /** Lambda architecture: arm64 (Terraform's default) or x86_64. */
    public String arch = "arm64";
    public int gatewayMb = 1024;
    public int writerMb = 1024;
    public int readerMb = 1024;
    public int replicatorMb = 1024;
    public int heartbeatMb = 512;
    public int resharderMb = 1024;

    /** The gateway's own work per request, ms (besides waiting for the shard function it invokes). */
    public double gatewayOwnMs = 1;
    /** A shard function's own work per invocation, ms (besides its DynamoDB requests). */
    public double shardOwnMs = 1;
    /** Billed duration of a writer put, ms; null = derived from the DynamoDB requests it makes. */
    public Double writerMs;
    /** Billed duration of a reader get, ms; null = derived. */
    public Double readerMs;
    /** Billed duration of a replicator invocation, ms; null = derived from its batch. */
    public Double replicatorMs;

    /** Latency API Gateway (HTTP API) adds in front of the gateway function, ms (latency only: not billed by time). */
    public double apiGatewayMs = 10;
    /** A synchronous Lambda Invoke's own latency, gateway to shard function and stream to replicator, ms. */
    public double invokeMs = 10;
    /** One DynamoDB request's latency as a function sees it, ms. */
    public double dynamoMs = 5;

    /** Terraform api_throttling_rate_limit: requests a second the HTTP API's stage admits (beyond it, 429). */
    public double apiRateLimit = 100;

    /** Terraform heartbeat_enabled. */
    public boolean heartbeat = true;
    /** Terraform heartbeat_interval_ms. */
    public double heartbeatIntervalMs = 1000;
    /** How long one heartbeat invocation beats, s (functions/shard application.properties shardkv.heartbeat.run-for). */
    public double heartbeatRunS = 59;
    /** Terraform resharder_schedule_enabled: the resharder is started every minute. */
    public boolean resharderSchedule = true;
    /** Terraform observability_enabled: the dashboard and alarms. */
    public boolean observability = true;
    /** Terraform stream_batch_size. */
    public int batchSize = 100;
    /** Polls of a stream shard per second by the event source mapping (AWS: 4). */
    public double pollsPerS = 4;

    /** Bytes of Lambda's own log lines per invocation (START, END, REPORT). */
    public double logBytesPerInvocation = 350;
    /** Bytes of one HTTP API access-log line. */
    public double accessLogBytes = 350;
    /** Bytes of one EMF metrics log line, plus {@link #emfValueBytes} per value in it. */
    public double emfLineBytes = 450;
    public double emfValueBytes = 10;
    /** Terraform log_retention_days. */
    public double logRetentionDays = 30;

    public Workload copy() {
        Workload w = new Workload();
        w.writesPerS = writesPerS;
        w.readsPerS = readsPerS;
        w.replicas = replicas;
        w.shards = shards;
        w.itemKb = itemKb;
        w.eventualShare = eventualShare;
        w.dataGb = dataGb;
        w.arch = arch;
        w.gatewayMb = gatewayMb;
        w.writerMb = writerMb;
        w.readerMb = readerMb;
        w.replicatorMb = replicatorMb;
        w.heartbeatMb = heartbeatMb;
        w.resharderMb = resharderMb;
        w.gatewayOwnMs = gatewayOwnMs;
        w.shardOwnMs = shardOwnMs;
        w.writerMs = writerMs;
        w.readerMs = readerMs;
        w.replicatorMs = replicatorMs;
        w.apiGatewayMs = apiGatewayMs;
        w.invokeMs = invokeMs;
        w.dynamoMs = dynamoMs;
        w.apiRateLimit = apiRateLimit;
        w.heartbeat = heartbeat;
        w.heartbeatIntervalMs = heartbeatIntervalMs;
        w.heartbeatRunS = heartbeatRunS;
        w.resharderSchedule = resharderSchedule;
        w.observability = observability;
        w.batchSize = batchSize;
        w.pollsPerS = pollsPerS;
        w.logBytesPerInvocation = logBytesPerInvocation;
        w.accessLogBytes = accessLogBytes;
        w.emfLineBytes = emfLineBytes;
        w.emfValueBytes = emfValueBytes;
        w.logRetentionDays = logRetentionDays;
        return w;
    }

    /** Refuses what the model cannot mean. */
    public Workload validate() {
        require(writesPerS >= 0 && readsPerS >= 0, "--writes-per-s and --reads-per-s must be 0 or more");
        require(replicas >= 1 && replicas <= 10, "--replicas must be 1-10 (topology rule)");
        require(shards >= 1, "--shards must be at least 1");
        require(itemKb > 0 && itemKb <= 400, "--item-kb must be above 0 and at most 400 (DynamoDB's item limit)");
        require(eventualShare >= 0 && eventualShare <= 1, "--eventual-share must be between 0 and 1");
        require(dataGb >= 0, "--data-gb must be 0 or more");
        require(arch.equals("arm64") || arch.equals("x86_64"), "--arch must be arm64 or x86_64");
        for (int mb : new int[] {gatewayMb, writerMb, readerMb, replicatorMb, heartbeatMb, resharderMb}) {
            require(mb >= 128 && mb <= 10240, "Lambda memory must be 128-10240 MB");
        }
        require(heartbeatIntervalMs >= 100 && heartbeatIntervalMs <= 60000, "--heartbeat-interval-ms must be 100-60000 (Terraform)");
        require(batchSize >= 1 && batchSize <= 10000, "--batch-size must be 1-10000 (Terraform)");
        require(pollsPerS > 0, "--polls-per-s must be above 0");
        require(gatewayOwnMs >= 0 && shardOwnMs >= 0 && apiGatewayMs >= 0 && invokeMs >= 0 && dynamoMs >= 0,
                "durations must be 0 or more");
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
