package dev.shardkv.embedded;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBRequestHandler;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBServerHandler;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/**
 * DynamoDB Local, the AWS-made emulator, started inside this process. Two ways:
 * <ul>
 *   <li>in-process (default): SDK v2 clients call the emulator directly, with no HTTP and no port;</li>
 *   <li>HTTP on loopback (127.0.0.1 by default): the emulator's own request handler mounted on a Jetty
 *       connector bound to loopback (its {@code ServerRunner} would bind every interface), for tools such as
 *       the AWS CLI and for the Lambda handlers under test, which reach it through an endpoint override.
 *       Never beyond loopback: the emulator checks no credentials.</li>
 * </ul>
 * Memory by default; with a data directory the tables survive restarts.
 */
public final class DynamoDbLocal implements AutoCloseable {
    public static final String LOOPBACK = "127.0.0.1";

    private final DynamoDbClient dynamo;
    private final DynamoDbStreamsClient streams;
    private final AmazonDynamoDBLocal embedded;
    private final Server server;
    private final LocalDynamoDBRequestHandler requestHandler;
    private final URI endpoint;

    private DynamoDbLocal(DynamoDbClient dynamo, DynamoDbStreamsClient streams, AmazonDynamoDBLocal embedded,
            Server server, LocalDynamoDBRequestHandler requestHandler, URI endpoint) {
        this.dynamo = dynamo;
        this.streams = streams;
        this.embedded = embedded;
        this.server = server;
        this.requestHandler = requestHandler;
        this.endpoint = endpoint;
    }

    /** In-process: no port at all. {@code dataDir} null keeps everything in memory. */
    public static DynamoDbLocal inProcess(Path dataDir) {
        // The second argument disables DynamoDB Local's usage telemetry (this process may have no network).
        // The embedded emulator takes the database file itself; the HTTP handler takes its folder.
        java.io.File file = dataDir == null ? null : new java.io.File(dir(dataDir), "shardkv-local.db");
        AmazonDynamoDBLocal local = null;
        for (int attempt = 0; local == null; attempt++) {
            try {
                local = DynamoDBEmbedded.create(file, true);
            } catch (RuntimeException e) {
                // An emulator that just closed the same file may hold it (SQLite lock, open-path registry) a moment longer.
                if (file == null || attempt == 50 || !(String.valueOf(e.getMessage()).contains("locked")
                        || String.valueOf(e.getMessage()).contains("already in use"))) {
                    throw e;
                }
                sleep(100);
            }
        }
        return new DynamoDbLocal(local.dynamoDbClient(), local.dynamoDbStreamsClient(), local, null, null, null);
    }

    /** Over HTTP on 127.0.0.1:{@code port} (0 picks a free port). */
    public static DynamoDbLocal http(int port, Path dataDir) {
        return http(LOOPBACK, port, dataDir);
    }

    /** Over HTTP on {@code host}:{@code port}; {@code host} must be a loopback address (see {@link #requireLoopback}). */
    public static DynamoDbLocal http(String host, int port, Path dataDir) {
        InetAddress address = requireLoopback(host);
        try {
            boolean inMemory = dataDir == null;
            LocalDynamoDBRequestHandler handler = new LocalDynamoDBRequestHandler(0, inMemory,
                    inMemory ? null : dir(dataDir).getAbsolutePath(), true, false);
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost(address.getHostAddress()); // the address checked, not the name resolved again
            connector.setPort(port);
            server.addConnector(connector);
            server.setHandler(new LocalDynamoDBServerHandler(handler, null));
            server.start();
            String literal = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
            URI endpoint = URI.create("http://" + literal + ":" + connector.getLocalPort());
            return new DynamoDbLocal(client(endpoint), streamsClient(endpoint), null, server, handler, endpoint);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local could not start on " + host + ":" + port, e);
        }
    }

    /**
     * The address of {@code host} if it is a loopback one. DynamoDB Local accepts any credentials, so whoever reaches
     * its port can read, change and delete every table: it never listens where another machine could reach it.
     */
    public static InetAddress requireLoopback(String host) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("DynamoDB Local host " + host + " is not known; use 127.0.0.1 or ::1.", e);
        }
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("DynamoDB Local over HTTP checks no credentials (anyone who reaches it can "
                    + "read and change every table), so it listens on loopback only (127.0.0.1, ::1), not on " + host
                    + ". To reach it from elsewhere, use an SSH tunnel to this machine.");
        }
        return address;
    }

    public static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(LOCAL_CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public static DynamoDbStreamsClient streamsClient(URI endpoint) {
        return DynamoDbStreamsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(LOCAL_CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** DynamoDB Local accepts any credentials; these are not secrets. */
    private static final StaticCredentialsProvider LOCAL_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("shardkv", "local"));

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public DynamoDbStreamsClient streams() {
        return streams;
    }

    /** The HTTP endpoint, or null in-process. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * shutdownNow() returns before the emulator's SQLite queue thread has closed the database file;
     * reopening the file in this JVM before then fails and leaves it marked "in use". Wait for it.
     */
    private static void awaitSqliteQueues() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("SQLiteQueue") && t != Thread.currentThread()) {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static java.io.File dir(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            return dataDir.toFile();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create data directory " + dataDir, e);
        }
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                dynamo.close();
                streams.close();
                server.stop();
                requestHandler.shutdown();
            }
            if (embedded != null) {
                embedded.shutdownNow();
                awaitSqliteQueues();
            }
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
        }
    }
}
