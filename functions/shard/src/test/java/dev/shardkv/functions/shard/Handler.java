package dev.shardkv.functions.shard;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** One test profile per handler: the same zip runs whichever QUARKUS_LAMBDA_HANDLER names. */
public final class Handler {
    private Handler() {
    }

    public static class Writer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "writer");
        }
    }

    public static class Reader implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "reader");
        }
    }

    public static class Replicator implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "replicator");
        }
    }

    public static class Coordinator implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "coordinator");
        }
    }

    public static class Heartbeat implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "heartbeat", "shardkv.heartbeat.run-for", "0s");
        }
    }

    /** Cutovers do not wait for the targets' replicas: no replicator runs in these tests. */
    public static class Resharder implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "resharder", "shardkv.resharder.replicas-wait", "0s",
                    "shardkv.resharder.margin", "0s", "shardkv.resharder.run-for", "60s");
        }
    }

    /** Invocations of a second and pages of 2 items: a split outlasts several of them. */
    public static class ShortResharder implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.lambda.handler", "resharder", "shardkv.resharder.replicas-wait", "0s",
                    "shardkv.resharder.margin", "0s", "shardkv.resharder.run-for", "1s",
                    "shardkv.resharder.page-size", "2", "shardkv.resharder.verify-segment-items", "25",
                    "shardkv.resharder.verify-page-size", "1");
        }
    }
}
