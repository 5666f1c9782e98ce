package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardkv.core.topology.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DynamoDB Local over HTTP checks no credentials: it never listens beyond loopback, whatever host it is given. */
class DynamoDbLoopbackTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.10", "2001:db8::1"})
    void aHostBeyondLoopbackIsRefusedBeforeAnythingListens(String host) {
        assertThatThrownBy(() -> DynamoDbLocal.http(host, 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(host)
                .hasMessageContaining("no credentials")
                .hasMessageContaining("loopback");
    }

    @Test
    void theClusterDoesNotStartWithSuchAHost() {
        Topology topology = Topology.fromClasspath("topology-test.json");
        assertThatThrownBy(() -> EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(topology)
                .withDynamoDb("0.0.0.0", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.0.0.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "::1", "localhost"})
    void loopbackAddressesAreAccepted(String host) {
        assertThat(DynamoDbLocal.requireLoopback(host).isLoopbackAddress()).isTrue();
    }

    @Test
    void theDefaultListensOn127001() {
        try (DynamoDbLocal local = DynamoDbLocal.http(0, null)) {
            assertThat(local.endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(local.dynamo().listTables().tableNames()).isEmpty();
        }
    }
}
