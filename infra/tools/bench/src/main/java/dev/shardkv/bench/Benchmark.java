package dev.shardkv.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./shardkv bench <what>}: measurements of ShardKV on this machine, printed for BENCHMARKS.md. */
@Command(name = "shardkv bench", mixinStandardHelpOptions = true,
        subcommands = {ConvergenceBench.class, HttpBench.class, LoadBench.class, QueryBench.class, ReshardBench.class,
            StormBench.class, VerifyBench.class},
        description = "Benchmarks, run on demand. Each starts its own embedded cluster, bounded in count and time.")
public final class Benchmark implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Benchmark()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
