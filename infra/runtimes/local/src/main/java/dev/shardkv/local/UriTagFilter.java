package dev.shardkv.local;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code uri} tag of the http.server.* meters only ever holds a route template this server declares
 * ({@code /v1/kv/{key}}, without the regex of {@code {key: .+}}) or one of Quarkus's fixed words; anything else becomes
 * {@code UNKNOWN}. Quarkus tags a request that matched no route with its raw path (a refused {@code /v1/kv/<key>} names
 * the key; so does a request the client resets), which would leak key names into /q/metrics and let any client fill
 * the cap on uri tags ({@code quarkus.micrometer.binder.http-server.max-uri-tags}, 100) so that the real routes are no
 * longer measured. {@code suppress4xx-errors} in application.properties keeps refused requests from being tagged with
 * their path at all; this filter is the guarantee for every other case.
 */
@Singleton
public class UriTagFilter implements MeterFilter {
    static final String UNKNOWN = "UNKNOWN";

    /** Quarkus's own values: unmatched 404s, 3xx, refusals (suppress4xx-errors), "/", CORS preflights. */
    static final Set<String> FIXED = Set.of("NOT_FOUND", "REDIRECTION", UNKNOWN, "root", "/cors-preflight");

    /** The live page's files (META-INF/resources) and the uPlot WebJar (one template by match-patterns). */
    static final Set<String> PAGE = Set.of("/index.html", "/dashboard.js", "/dashboard.css", "/webjars/{path}");

    private static final Pattern REGEX_PARAMETER = Pattern.compile("\\{\\s*([^}:\\s]+)\\s*:[^}]*}");

    private final Set<String> known = new TreeSet<>();

    UriTagFilter(BeanManager beans) {
        known.addAll(FIXED);
        known.addAll(PAGE);
        // Quarkus REST makes every resource class a bean: their @Path annotations are the routes.
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            known.addAll(templates(bean.getBeanClass()));
        }
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        String uri = id.getTag("uri");
        if (uri == null || !id.getName().startsWith("http.server.")) {
            return id;
        }
        String template = withoutRegex(uri); // Quarkus reports the template as declared: /v1/kv/{key: .+}
        if (template.equals(uri) && known.contains(uri)) {
            return id;
        }
        return id.replaceTags(Tags.of(id.getTags()).and("uri", known.contains(template) ? template : UNKNOWN));
    }

    /** The URI templates of a JAX-RS resource class, as Quarkus reports them: "/v1/kv/{key: .+}" is "/v1/kv/{key}". */
    static Set<String> templates(Class<?> resource) {
        Set<String> out = new TreeSet<>();
        Path root = resource.getAnnotation(Path.class);
        if (root == null) {
            return out;
        }
        for (Method method : resource.getMethods()) {
            if (Arrays.stream(method.getAnnotations()).map(Annotation::annotationType)
                    .noneMatch(a -> a.isAnnotationPresent(HttpMethod.class))) {
                continue;
            }
            Path sub = method.getAnnotation(Path.class);
            out.add(normalize(root.value() + (sub == null ? "" : "/" + sub.value())));
        }
        return out;
    }

    static String withoutRegex(String template) {
        return REGEX_PARAMETER.matcher(template).replaceAll("{$1}");
    }

    static String normalize(String template) {
        String path = withoutRegex(template).replaceAll("/+", "/");
        path = path.startsWith("/") ? path : "/" + path;
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
