package dev.shardkv.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smoke run over the built zips and the repository's Terraform, and one Terraform mistake it must catch. */
class SmokeIT {
    static final Path ROOT = Path.of(System.getProperty("shardkv.root", "../../..")).toAbsolutePath().normalize();
    static final Path RUNTIME = ROOT.resolve("infra/tools/smoke/target/lambda-runtime");

    @BeforeAll
    static void needsTerraform() throws Exception {
        boolean found;
        try {
            found = new ProcessBuilder("terraform", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            found = false;
        }
        assumeTrue(found, "SKIPPED: no terraform on PATH; the smoke test reads the functions from terraform plan");
    }

    @Test
    void theDeployableZipsPassEveryStep() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        boolean passed;
        try (Smoke smoke = new Smoke(ROOT.resolve("terraform/examples/localstack"),
                ROOT.resolve("infra/tools/smoke/target/smoke-it"), RUNTIME, tee(log))) {
            passed = smoke.run();
        }
        assertThat(passed).as(log.toString(StandardCharsets.UTF_8)).isTrue();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("smoke: PASSED")
                // routed a-l, m-s, t-z and staged a-f, g-l (writer, reader, replicator each), gateway, heartbeat,
                // coordinator, resharder
                .contains("19 functions initialized").contains("none refused")
                .contains("map epoch 2 [a-f, g-l, m-s, t-z]");
    }

    /** The writer's policy names a leader table that is not the one it writes: the write is refused, as IAM would. */
    @Test
    void aTableNameWrongInAPolicyFailsTheSmoke(@TempDir Path copy) throws IOException {
        copyTree(ROOT.resolve("terraform"), copy.resolve("terraform"));
        Files.copy(ROOT.resolve("topology.json"), copy.resolve("topology.json"));
        Files.createSymbolicLink(copy.resolve("functions"), ROOT.resolve("functions"));
        Path shard = copy.resolve("terraform/modules/shard/main.tf");
        String tf = Files.readString(shard);
        String right = "leader_arn    = \"${local.table_arn}/${var.shard.leader_table}\"";
        assertThat(tf).contains(right);
        Files.writeString(shard, tf.replace(right, "leader_arn    = \"${local.table_arn}/${var.shard.leader_table}-old\""));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        boolean passed;
        try (Smoke smoke = new Smoke(copy.resolve("terraform/examples/localstack"), copy.resolve("work"), RUNTIME, tee(log))) {
            passed = smoke.run();
            assertThat(smoke.failures()).containsExactly("write", "iam");
        }
        assertThat(passed).isFalse();
        // The writer got DynamoDB's answer to a denied call (its first on the leader: the fence read), as on AWS.
        assertThat(Files.readString(copy.resolve("work/logs/shardkv-a-l-writer.log")))
                .contains("is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:");
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("shardkv-a-l-writer: dynamodb:GetItem on arn:aws:dynamodb:us-east-1:000000000000:table/shardkv-a-l-leader")
                .contains("smoke: FAILED (write, iam)");
    }

    private static PrintStream tee(ByteArrayOutputStream into) {
        return new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                into.write(b);
                System.out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                into.write(b, off, len);
                System.out.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.sorted(Comparator.naturalOrder()).toList()) {
                Path rel = from.relativize(p);
                if (rel.toString().contains(".terraform") && !rel.toString().endsWith(".terraform.lock.hcl")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
