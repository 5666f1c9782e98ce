package dev.shardkv.bench;

import dev.shardkv.bench.cost.CostCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./shardkv bench <what>}: measurements of ShardKV on this machine, printed for BENCHMARKS.md. */
@Command(name = "shardkv bench", mixinStandardHelpOptions = true,
        subcommands = {ConvergenceBench.class, CostCommand.class, HttpBench.class, LoadBench.class, QueryBench.class,
            ReshardBench.class, StormBench.class, VerifyBench.class},
        description = {"Benchmarks, run on demand. Each starts its own embedded cluster, bounded in count and time.",
            "cost is no benchmark: the cost and latency model of the AWS deployment (./shardkv cost)."})
public final class Benchmark implements Runnable {

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new Benchmark());
        if (args.length > 0 && args[0].equals("cost")) {
            commandLine.setCommandName("shardkv"); // run as ./shardkv cost: its usage says so
        }
        System.exit(commandLine.execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
