package dev.shardkv.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An identity-based IAM policy as Terraform writes it, evaluated the way IAM evaluates one for a request:
 * an explicit Deny wins, then any Allow whose action, resource and conditions match, else an implicit
 * deny. Conditions: the ones our policies use (StringEquals and StringLike, each also in its
 * ForAllValues/ForAnyValue form; StringLike with IAM's wildcards, * and ?, case-sensitive); any other
 * operator never matches, so an unknown condition fails closed and shows in the smoke run.
 *
 * <p>Written here because no Java library evaluates IAM policies offline; DynamoDB Local and the
 * emulators check none, which is how a policy that lacks an action the code calls reached AWS.
 */
public final class IamPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Statement(String sid, boolean allow, List<Pattern> actions, List<Pattern> resources, JsonNode condition) {
    }

    private final List<Statement> statements;
    private final List<String> resources;

    private IamPolicy(List<Statement> statements, List<String> resources) {
        this.statements = statements;
        this.resources = resources;
    }

    public static IamPolicy parse(String json) {
        try {
            List<Statement> statements = new ArrayList<>();
            List<String> resources = new ArrayList<>();
            for (JsonNode s : list(JSON.readTree(json).path("Statement"))) {
                list(s.path("Resource")).forEach(r -> resources.add(r.asText()));
                statements.add(new Statement(s.path("Sid").asText(""), s.path("Effect").asText().equals("Allow"),
                        list(s.path("Action")).stream().map(a -> glob(a.asText(), true)).toList(),
                        list(s.path("Resource")).stream().map(r -> glob(r.asText(), false)).toList(), s.path("Condition")));
            }
            return new IamPolicy(statements, resources);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the policy allows {@code action} (e.g. "dynamodb:PutItem") on {@code resource} (an ARN), with the
     * request's condition keys (e.g. "dynamodb:LeadingKeys" to the partition keys it touches).
     */
    public boolean allows(String action, String resource, Map<String, List<String>> context) {
        boolean allowed = false;
        for (Statement s : statements) {
            boolean matches = s.actions().stream().anyMatch(p -> p.matcher(action).matches())
                    && s.resources().stream().anyMatch(p -> p.matcher(resource).matches())
                    && conditionsHold(s.condition(), context);
            if (matches && !s.allow()) {
                return false;
            }
            allowed |= matches;
        }
        return allowed;
    }

    /** Every resource the policy names (for the region and account of the deployment). */
    public List<String> resources() {
        return resources;
    }

    private static boolean conditionsHold(JsonNode condition, Map<String, List<String>> context) {
        var operators = condition.properties().iterator();
        while (operators.hasNext()) {
            var operator = operators.next();
            var keys = operator.getValue().properties().iterator();
            while (keys.hasNext()) {
                var key = keys.next();
                List<String> wanted = list(key.getValue()).stream().map(JsonNode::asText).toList();
                List<String> actual = context.get(key.getKey());
                if (!holds(operator.getKey(), wanted, actual)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean holds(String operator, List<String> wanted, List<String> actual) {
        Predicate<String> equalsOne = wanted::contains;
        List<Pattern> patterns = wanted.stream().map(w -> glob(w, false)).toList();
        Predicate<String> likeOne = v -> patterns.stream().anyMatch(p -> p.matcher(v).matches());
        return switch (operator) {
            // IAM: ForAllValues is true when the request has no value for the key at all; ForAnyValue is then false.
            case "ForAllValues:StringEquals" -> actual == null || actual.stream().allMatch(equalsOne);
            case "ForAnyValue:StringEquals" -> actual != null && actual.stream().anyMatch(equalsOne);
            case "StringEquals" -> actual != null && actual.size() == 1 && equalsOne.test(actual.get(0));
            case "ForAllValues:StringLike" -> actual == null || actual.stream().allMatch(likeOne);
            case "ForAnyValue:StringLike" -> actual != null && actual.stream().anyMatch(likeOne);
            case "StringLike" -> actual != null && actual.size() == 1 && likeOne.test(actual.get(0));
            default -> false;
        };
    }

    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else if (!node.isMissingNode() && !node.isNull()) {
            out.add(node);
        }
        return out;
    }

    /** IAM wildcards: * any run of characters, ? one; actions match without regard to case. */
    private static Pattern glob(String text, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    }
}
