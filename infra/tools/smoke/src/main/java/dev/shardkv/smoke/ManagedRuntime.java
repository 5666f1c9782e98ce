package dev.shardkv.smoke;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * How the {@code java21} managed runtime starts a function: the Runtime Interface Client from the runtime's own
 * folder (never on the function's classpath), its JVM flags, and the environment Lambda sets beside the function's.
 */
final class ManagedRuntime {
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    private final Path lib;

    /** @param lib what the runtime holds in /var/runtime/lib: the client and the two libraries it loads functions with */
    ManagedRuntime(Path lib) {
        this.lib = lib;
    }

    /** The command that starts {@code function}'s runtime, with {@code tmp} as its private /tmp. */
    List<String> command(TerraformPlan.Function function, Path tmp) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(),
                "-XX:MaxHeapSize=" + (function.memoryMb() * 85 / 100) + "m", // the runtime gives the heap 85 % of memory
                "-XX:+UseSerialGC", "-Xshare:auto", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.io=ALL-UNNAMED", "-XX:+ErrorFileToStderr",
                "-Djava.io.tmpdir=" + tmp, // each environment has its own /tmp on Lambda
                // Where the runtime keeps the client's native library (the managed runtime names its own copy;
                // left to itself the client unpacks it to one fixed /tmp path, which two starting JVMs race on).
                "-D" + JNI_PROPERTY + "=" + nativeLibrary(),
                "-classpath", classpath(), RIC_MAIN, function.handler()));
        if (Runtime.version().feature() >= 24) {
            // Lambda runs java21; on 24+ Quarkus' thread pool needs java.lang opened (its jar's manifest says
            // so, but a manifest is read only with -jar), and native access is asked for explicitly.
            command.addAll(1, List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
        }
        return command;
    }

    /** What Lambda sets for every function (its own environment and credentials come on top). */
    Map<String, String> environment(TerraformPlan.Function function, Path taskRoot, Path tmp) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("TMPDIR", tmp.toString());
        env.putAll(function.environment());
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", lib.toString());
        env.put("_HANDLER", function.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + function.runtime());
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "smoke");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        return env;
    }

    /** The client's JNI library for this machine, unpacked once from its jar into the runtime's folder. */
    private Path nativeLibrary() throws IOException {
        String name = "libaws-lambda-jni.linux-" + (System.getProperty("os.arch").contains("aarch64") ? "aarch_64" : "x86_64") + ".so";
        Path target = lib.resolve("jni").resolve(name);
        synchronized (ManagedRuntime.class) {
            if (!Files.isRegularFile(target)) {
                Path jar;
                try (var jars = Files.list(lib)) {
                    jar = jars.filter(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))
                            .findFirst().orElseThrow(() -> new IllegalStateException("no Runtime Interface Client in " + lib));
                }
                try (var zip = new ZipFile(jar.toFile())) {
                    var entry = zip.getEntry("jni/" + name);
                    if (entry == null) {
                        throw new IllegalStateException(jar + " has no jni/" + name);
                    }
                    Files.createDirectories(target.getParent());
                    Path part = Files.createTempFile(target.getParent(), name, ".part");
                    try (var in = zip.getInputStream(entry)) {
                        Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
        return target;
    }

    private String classpath() throws IOException {
        try (var jars = Files.list(lib)) {
            return String.join(":", jars.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString).toList());
        }
    }

    /** The java of the runtime: SHARDKV_SMOKE_JAVA, or the one running the harness. */
    static String java() {
        String given = System.getenv("SHARDKV_SMOKE_JAVA");
        return given != null && !given.isBlank() ? given : Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
