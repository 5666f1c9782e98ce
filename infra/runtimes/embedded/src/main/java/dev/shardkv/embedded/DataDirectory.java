package dev.shardkv.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The folder of a persistent cluster, checked and locked before DynamoDB Local opens it.
 * <ul>
 *   <li>Writable, proven by creating and deleting a file (permission bits say nothing for root, nor
 *       for read-only mounts): DynamoDB Local given a folder it cannot write retries "unable to open
 *       database file" every 3 s forever instead of failing.</li>
 *   <li>Exclusively ours: two emulators on one SQLite file fail most writes with SQLITE_BUSY. The
 *       lock ({@value #LOCK_FILE}, holding the owner's pid) lasts until {@link #close()}; the OS
 *       drops it if the process dies, so a crash leaves no lock behind.</li>
 * </ul>
 */
public final class DataDirectory implements AutoCloseable {
    static final String LOCK_FILE = ".shardkv.lock";
    /**
     * Folders this JVM holds, checked before touching the lock file: POSIX locks belong to the process,
     * and closing any channel on the file (say, a second cluster's failed attempt) would drop ours.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Path key;
    private final FileChannel channel;

    private DataDirectory(Path path, Path key, FileChannel channel) {
        this.path = path;
        this.key = key;
        this.channel = channel;
    }

    /** Creates the folder if absent, proves it writable and locks it; throws {@link DataDirectoryException} otherwise. */
    public static DataDirectory open(Path dir) {
        Path path = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new DataDirectoryException("The data directory " + path + " cannot be created (" + e
                    + "). Give --data-dir a folder you can create, or create it first.", e);
        }
        try {
            Files.delete(Files.createTempFile(path, ".shardkv-write-probe", null)); // a unique name: no leftover can clash
        } catch (IOException e) {
            throw new DataDirectoryException("The data directory " + path + " is not writable (creating a file in it failed: "
                    + e + "). Give --data-dir a folder you can write, or fix its permissions.", e);
        }
        return lock(path);
    }

    private static DataDirectory lock(Path path) {
        Path key = realPath(path);
        if (!HELD_HERE.add(key)) {
            throw inUse(path, "pid " + ProcessHandle.current().pid() + ", this process");
        }
        Path lockFile = path.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by other code in this JVM
            }
            if (lock == null) {
                throw inUse(path, holder(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new DataDirectory(path, key, channel);
        } catch (IOException e) {
            giveUp(key, channel);
            throw new DataDirectoryException("The data directory " + path + " cannot be locked (" + e
                    + "). Give --data-dir a folder on a local file system you can write.", e);
        } catch (RuntimeException e) {
            giveUp(key, channel);
            throw e;
        }
    }

    private static DataDirectoryException inUse(Path path, String holder) {
        return new DataDirectoryException("The data directory " + path + " is in use by another ShardKV runtime ("
                + holder + ", lock file " + path.resolve(LOCK_FILE) + "). Stop that one, or give this one another --data-dir.");
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }

    /** "pid N" as the holder wrote it into the lock file, or "pid unknown". */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
            return "pid " + (pid.matches("\\d+") ? pid : "unknown");
        } catch (IOException e) {
            return "pid unknown";
        }
    }

    private static void giveUp(Path key, FileChannel channel) {
        HELD_HERE.remove(key);
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // it held no lock
            }
        }
    }

    public Path path() {
        return path;
    }

    /** Releases the lock (the file stays: deleting it could split a later pair of runtimes onto two files). */
    @Override
    public void close() {
        try {
            channel.close(); // releases the lock
        } catch (IOException e) {
            throw new IllegalStateException("could not release the lock of the data directory " + path, e);
        } finally {
            HELD_HERE.remove(key);
        }
    }
}
