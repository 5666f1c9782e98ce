package dev.shardkv.api;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods a path takes, for the {@code Allow} header of a 405, read from the resources' own
 * JAX-RS annotations (the REST layer answers 405 with an empty Allow).
 */
final class AllowedMethods {
    static final List<Class<?>> RESOURCES = List.of(KvResource.class, BatchGetResource.class, TxResource.class,
            QueryResource.class, ShardsResource.class, ReplicationResource.class,
            AdminResource.class);
    private static final List<Route> ROUTES = routes();

    private AllowedMethods() {
    }

    private record Route(Pattern path, String method) {
    }

    /** The methods that some resource takes on this path (HEAD with GET, OPTIONS always), sorted. */
    static Set<String> of(String path) {
        Set<String> allowed = new TreeSet<>();
        for (Route route : ROUTES) {
            if (route.path().matcher(path).matches()) {
                allowed.add(route.method());
                if (route.method().equals(HttpMethod.GET)) {
                    allowed.add(HttpMethod.HEAD);
                }
            }
        }
        if (!allowed.isEmpty()) {
            allowed.add(HttpMethod.OPTIONS);
        }
        return allowed;
    }

    private static List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (Class<?> resource : RESOURCES) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String verb = verb(method);
                if (verb != null) {
                    Path sub = method.getAnnotation(Path.class);
                    routes.add(new Route(regex(join(base, sub == null ? "" : sub.value())), verb));
                }
            }
        }
        return routes;
    }

    private static String verb(Method method) {
        for (Annotation a : method.getAnnotations()) {
            HttpMethod verb = a.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static String join(String base, String sub) {
        String path = (base.startsWith("/") ? base : "/" + base);
        if (!sub.isEmpty()) {
            path = path.replaceAll("/$", "") + (sub.startsWith("/") ? sub : "/" + sub);
        }
        return path;
    }

    /** A JAX-RS template as a regex: {@code {name}} is one segment, {@code {name: re}} is re. */
    static Pattern regex(String template) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                regex.append(Pattern.quote(template.substring(i)));
                break;
            }
            regex.append(Pattern.quote(template.substring(i, open)));
            int close = template.indexOf('}', open);
            String variable = template.substring(open + 1, close);
            int colon = variable.indexOf(':');
            regex.append(colon < 0 ? "[^/]+" : "(?:" + variable.substring(colon + 1).trim() + ")");
            i = close + 1;
        }
        return Pattern.compile(regex + "/?");
    }
}
