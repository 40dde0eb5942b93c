package dev.weft.spring.boot.autoconfigure;

import java.util.Arrays;
import java.util.Locale;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.sql.autoconfigure.init.OnDatabaseInitializationCondition;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless {@code weft.jdbc.initialize-schema} is {@code never}. A value that is no mode stops
 * the start with a failure analysis naming the property and the modes; the condition is evaluated
 * before the property is bound, so binding could not report it first.
 */
class OnWeftDatabaseInitializationCondition extends OnDatabaseInitializationCondition {

    static final String PROPERTY = "weft.jdbc.initialize-schema";

    OnWeftDatabaseInitializationCondition() {
        super("Weft", PROPERTY);
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String value = context.getEnvironment().getProperty(PROPERTY);
        if (value != null && !isMode(value)) {
            throw new InvalidConfigurationPropertyValueException(PROPERTY, value,
                    "Weft's schema initialization mode must be 'embedded' (in-memory databases only), 'always' or 'never'.");
        }
        return super.getMatchOutcome(context, metadata);
    }

    private static boolean isMode(String value) {
        String name = value.strip().toUpperCase(Locale.ROOT);
        return Arrays.stream(DatabaseInitializationMode.values()).anyMatch(mode -> mode.name().equals(name));
    }
}
