package dev.weft.activity;

import dev.weft.failure.InvalidDefinitionException;
import java.time.Duration;
import java.util.regex.Pattern;

/** The rule for queue names, which travel in URLs and metric tags: letters, digits, '_' and '-'. */
public final class QueueName {

    /** A claim's visibility timeout unless the definition or the call sets one (upstream Weft's default). */
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private QueueName() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** Returns {@code name} if it is a valid queue name, and refuses it naming the rule otherwise. */
    public static String check(String name) {
        if (!isValid(name)) {
            throw new InvalidDefinitionException("a queue name must be 1 to 100 letters, digits, '_' or '-', got '" + name + "'");
        }
        return name;
    }
}
