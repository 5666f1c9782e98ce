package dev.shardkv.bench.cost;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./shardkv cost}: the cost and latency model of the deployed design at a steady workload, against the same
 * read copies bought as DynamoDB Global Tables. No AWS account, no network: list prices come from one file.
 * Without options it prints the README's worked example.
 */
@Command(name = "cost", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The monthly cost (730 h) and latency budget of ShardKV as Terraform deploys it, per line item and per"
                + " million writes and reads, against DynamoDB Global Tables with as many copies; and when each costs less.",
                "Defaults: Terraform's (terraform/variables.tf), topology.json's, and the assumptions named in each option."})
public final class CostCommand implements Callable<Integer> {
    @Option(names = "--writes-per-s", defaultValue = "10", description = "client writes (puts, deletes) per second, all shards (default ${DEFAULT-VALUE})")
    double writesPerS;

    @Option(names = "--reads-per-s", defaultValue = "90", description = "client single-key reads per second, all shards (default ${DEFAULT-VALUE})")
    double readsPerS;

    @Option(names = "--replicas", defaultValue = "2", description = "replicas per shard; Global Tables get 1 + this many Regions (default ${DEFAULT-VALUE}, topology.json)")
    int replicas;

    @Option(names = "--shards", defaultValue = "3", description = "shards, traffic spread evenly (default ${DEFAULT-VALUE}, topology.json)")
    int shards;

    @Option(names = "--item-kb", defaultValue = "1", description = "item size as DynamoDB meters it, KB (default ${DEFAULT-VALUE})")
    double itemKb;

    @Option(names = "--eventual-share", defaultValue = "1", description = "share of reads that are eventual, served by replicas; the rest are strong reads on the leader (default ${DEFAULT-VALUE})")
    double eventualShare;

    @Option(names = "--data-gb", defaultValue = "10", description = "data held, one copy, GB: every table stores it all (default ${DEFAULT-VALUE})")
    double dataGb;

    @Option(names = "--arch", defaultValue = "arm64", description = "arm64 or x86_64 (x86 also) (default ${DEFAULT-VALUE}: Terraform lambda_architectures)")
    String arch;

    @Option(names = "--gateway-mb", defaultValue = "1024", description = "gateway memory, MB (default ${DEFAULT-VALUE}: Terraform lambda_memory_mb)")
    int gatewayMb;

    @Option(names = "--writer-mb", defaultValue = "1024", description = "writer memory, MB (default ${DEFAULT-VALUE}: Terraform)")
    int writerMb;

    @Option(names = "--reader-mb", defaultValue = "1024", description = "reader memory, MB (default ${DEFAULT-VALUE}: Terraform)")
    int readerMb;

    @Option(names = "--replicator-mb", defaultValue = "1024", description = "replicator memory, MB (default ${DEFAULT-VALUE}: Terraform)")
    int replicatorMb;

    @Option(names = "--heartbeat-mb", defaultValue = "512", description = "heartbeat memory, MB (default ${DEFAULT-VALUE}: Terraform)")
    int heartbeatMb;

    @Option(names = "--resharder-mb", defaultValue = "1024", description = "resharder memory, MB (default ${DEFAULT-VALUE}: Terraform)")
    int resharderMb;

    @Option(names = "--gateway-ms", defaultValue = "1", description = "the gateway's own work per request, ms, besides waiting for the function it invokes (default ${DEFAULT-VALUE}: BENCHMARKS.md 'HTTP path' measured 167-195 us of CPU per warm API GET on this machine; 1024 MB is ~0.58 vCPU on Lambda, ~0.3 ms, billed per 1 ms)")
    double gatewayMs;

    @Option(names = "--shard-ms", defaultValue = "1", description = "a shard function's own work per invocation, ms, besides its DynamoDB requests (default ${DEFAULT-VALUE}: assumed, as --gateway-ms)")
    double shardMs;

    @Option(names = "--writer-ms", description = "billed ms of a writer put (default: derived, own work + UpdateItem + fence read(s) at --dynamodb-ms)")
    Double writerMs;

    @Option(names = "--reader-ms", description = "billed ms of a reader get (default: derived, own work + GetItem)")
    Double readerMs;

    @Option(names = "--replicator-ms", description = "billed ms of a replicator batch (default: derived from the batch: conditional put, or BatchGetItem + BatchWriteItems, + watermark)")
    Double replicatorMs;

    @Option(names = "--dynamodb-ms", defaultValue = "5", description = "one DynamoDB request as a function sees it, ms (default ${DEFAULT-VALUE}: assumed inside AWS's published 'single-digit milliseconds'; BENCHMARKS.md's figures are DynamoDB Local's)")
    double dynamoMs;

    @Option(names = "--lambda-invoke-ms", defaultValue = "10", description = "a warm synchronous Invoke's own latency, ms, billed in the gateway that waits (default ${DEFAULT-VALUE}: assumed, no AWS figure)")
    double invokeMs;

    @Option(names = "--api-gateway-ms", defaultValue = "10", description = "latency the HTTP API adds, ms; latency only (default ${DEFAULT-VALUE}: assumed, no AWS figure)")
    double apiGatewayMs;

    @Option(names = "--api-rate-limit", defaultValue = "100", description = "requests/s the HTTP API stage admits, for the warning only (default ${DEFAULT-VALUE}: Terraform api_throttling_rate_limit)")
    double apiRateLimit;

    @Option(names = "--heartbeat-interval-ms", defaultValue = "1000", description = "heartbeat to every leader every this many ms (default ${DEFAULT-VALUE}: Terraform heartbeat_interval_ms)")
    double heartbeatIntervalMs;

    @Option(names = "--no-heartbeat", description = "Terraform heartbeat_enabled = false")
    boolean noHeartbeat;

    @Option(names = "--no-resharder-schedule", description = "Terraform resharder_schedule_enabled = false")
    boolean noResharderSchedule;

    @Option(names = "--no-observability", description = "Terraform observability_enabled = false (no dashboard, no alarms; the functions' metrics stay)")
    boolean noObservability;

    @Option(names = "--batch-size", defaultValue = "100", description = "stream records per replicator invocation at most (default ${DEFAULT-VALUE}: Terraform stream_batch_size)")
    int batchSize;

    @Option(names = "--polls-per-s", defaultValue = "4", description = "polls of a stream shard per second (default ${DEFAULT-VALUE}: AWS Lambda docs, 'a base rate of 4 times per second')")
    double pollsPerS;

    @Option(names = "--log-bytes-per-invocation", defaultValue = "350", description = "bytes of Lambda's START/END/REPORT lines per invocation (default ${DEFAULT-VALUE}: assumed)")
    double logBytesPerInvocation;

    @Option(names = "--access-log-bytes", defaultValue = "350", description = "bytes of one HTTP API access-log line, Terraform's 12-field format (default ${DEFAULT-VALUE}: assumed)")
    double accessLogBytes;

    @Option(names = "--prices", description = "price file (default: the one shipped, infra/tools/bench/src/main/resources/cost/prices-us-east-1.json)")
    Path pricesFile;

    @Option(names = "--json", description = "print one JSON object (every line item, the comparison, the latency budget, the prices and their sources)")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Workload w;
        Prices prices;
        try {
            w = workload();
            prices = pricesFile == null ? Prices.defaults() : Prices.load(pricesFile);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        CostReport report = new CostModel(prices).report(w);
        if (json) {
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(CostText.json(report, command())));
        } else {
            System.out.print(CostText.text(report));
        }
        return 0;
    }

    Workload workload() {
        Workload w = new Workload();
        w.writesPerS = writesPerS;
        w.readsPerS = readsPerS;
        w.replicas = replicas;
        w.shards = shards;
        w.itemKb = itemKb;
        w.eventualShare = eventualShare;
        w.dataGb = dataGb;
        w.arch = arch.equals("x86") ? "x86_64" : arch;
        w.gatewayMb = gatewayMb;
        w.writerMb = writerMb;
        w.readerMb = readerMb;
        w.replicatorMb = replicatorMb;
        w.heartbeatMb = heartbeatMb;
        w.resharderMb = resharderMb;
        w.gatewayOwnMs = gatewayMs;
        w.shardOwnMs = shardMs;
        w.writerMs = writerMs;
        w.readerMs = readerMs;
        w.replicatorMs = replicatorMs;
        w.dynamoMs = dynamoMs;
        w.invokeMs = invokeMs;
        w.apiGatewayMs = apiGatewayMs;
        w.apiRateLimit = apiRateLimit;
        w.heartbeatIntervalMs = heartbeatIntervalMs;
        w.heartbeat = !noHeartbeat;
        w.resharderSchedule = !noResharderSchedule;
        w.observability = !noObservability;
        w.batchSize = batchSize;
        w.pollsPerS = pollsPerS;
        w.logBytesPerInvocation = logBytesPerInvocation;
        w.accessLogBytes = accessLogBytes;
        return w.validate();
    }

    private List<String> command() {
        List<String> command = new ArrayList<>(List.of("./shardkv"));
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        return command;
    }
}
