package dev.shardkv.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --json} for every bench (a picocli mixin): the figures as one JSON object on stdout, with the bench's
 * name and command line, so that a script can compare runs. Lines a bench prints while it runs go to stderr
 * then, so that stdout holds the object alone.
 */
final class JsonOutput {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--json", description = "print one JSON object (the figures and the command line) instead of text")
    boolean on;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** Where the lines printed during a run go: stdout, or stderr with --json. */
    PrintStream progress() {
        return on ? System.err : System.out;
    }

    /** A new object holding {@code bench} and {@code command}, for the bench to add its figures to. */
    ObjectNode object() {
        ObjectNode out = JSON.createObjectNode();
        out.put("bench", spec.name());
        out.put("command", String.join(" ", command()));
        return out;
    }

    void print(ObjectNode figures) {
        try {
            System.out.println(JSON.writeValueAsString(figures));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line that ran this benchmark, as a user would type it. */
    private List<String> command() {
        List<String> command = new ArrayList<>(List.of("./shardkv", "bench")); // the arguments start with the bench's name
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        return command;
    }

    /** Two decimals: rates and ratios, beyond which the run-to-run spread makes digits noise. */
    static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
