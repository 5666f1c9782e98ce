package dev.shardkv.local;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Prints where the API is. */
@ApplicationScoped
public class Banner {
    private static final Logger LOG = Logger.getLogger(Banner.class);

    @ConfigProperty(name = "quarkus.http.host")
    String host;

    @ConfigProperty(name = "quarkus.http.port")
    int port;

    /** Takes the runtime as a parameter so that it prints after the cluster is up. */
    void onStart(@Observes StartupEvent start, LocalRuntime runtime) {
        String url = "http://" + host + ":" + port;
        LOG.infof("ShardKV serves %s/v1/kv/{key}  shard map %s/v1/shards  replication %s/v1/replication  health %s/q/health"
                + "  OpenAPI %s/q/openapi  (Ctrl-C stops)", url, url, url, url, url);
    }
}
