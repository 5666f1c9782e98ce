package dev.shardkv.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shardkv.core.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory the cluster cannot use stops the start at once with a message saying which path,
 * what is wrong and what to do; one a cluster already uses is refused to a second one.
 * (The timeouts only bound a regression that hangs; nothing here is timed.)
 */
class DataDirectoryTest {
    static final Topology TOPOLOGY = Topology.fromClasspath("topology-test.json");

    static EmbeddedCluster start(Path dir) {
        return EmbeddedCluster.start(EmbeddedCluster.Settings.defaults(TOPOLOGY).withDataDir(dir));
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDirectoryNobodyCanWriteStopsTheStartAtOnce() {
        // Not writable even for root, which chmod does not stop.
        Path proc = Path.of("/proc/self");
        assumeTrue(Files.isDirectory(proc), "needs Linux's /proc");
        assertThatThrownBy(() -> start(proc))
                .isInstanceOf(DataDirectoryException.class)
                .hasMessageContaining("not writable")
                .hasMessageContaining("/proc/self")
                .hasMessageContaining("--data-dir");
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aReadOnlyDirectoryStopsTheStartAtOnce(@TempDir Path parent) throws Exception {
        Path dir = Files.createDirectory(parent.resolve("read-only"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Path probe = dir.resolve("can-i-write");
            boolean writable = true;
            try {
                Files.delete(Files.createFile(probe));
            } catch (java.io.IOException e) {
                writable = false;
            }
            assumeFalse(writable, "root writes into a read-only directory anyway (see the /proc case)");
            assertThatThrownBy(() -> start(dir))
                    .isInstanceOf(DataDirectoryException.class)
                    .hasMessageContaining("not writable")
                    .hasMessageContaining(dir.toString());
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aPathUnderAFileIsNotADirectory(@TempDir Path parent) throws Exception {
        Path file = Files.writeString(parent.resolve("a-file"), "x");
        assertThatThrownBy(() -> start(file.resolve("data")))
                .isInstanceOf(DataDirectoryException.class)
                .hasMessageContaining("cannot be created")
                .hasMessageContaining(file.resolve("data").toString());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aSecondClusterOnTheSameDirectoryIsRefusedUntilTheFirstCloses(@TempDir Path dir) {
        try (EmbeddedCluster first = start(dir)) {
            assertThatThrownBy(() -> start(dir))
                    .isInstanceOf(DataDirectoryException.class)
                    .hasMessageContaining("in use")
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            assertThat(first.shardMap().shards()).hasSize(3); // the first one is untouched
        }
        try (EmbeddedCluster again = start(dir)) {
            assertThat(again.shardMap().shards()).hasSize(3);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aMissingDirectoryIsCreated(@TempDir Path parent) {
        Path dir = parent.resolve("new").resolve("data");
        try (EmbeddedCluster cluster = start(dir)) {
            assertThat(dir).isDirectory();
        }
    }
}
