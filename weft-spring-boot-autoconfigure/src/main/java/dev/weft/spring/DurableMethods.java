package dev.weft.spring;

import dev.weft.failure.InvalidDefinitionException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;

/** The durable methods of bean classes, read once per class and remembered. */
final class DurableMethods {

    private final Function<String, String> placeholders;
    private final Map<Class<?>, List<DurableMethod>> byClass = new ConcurrentHashMap<>();
    private final Map<Method, Optional<DurableMethod>> byMethod = new ConcurrentHashMap<>();

    DurableMethods(Function<String, String> placeholders) {
        this.placeholders = placeholders;
    }

    /**
     * The durable methods of {@code beanClass} (a user class, not a proxy class).
     *
     * @throws InvalidDefinitionException when one of them is not a valid durable method
     */
    List<DurableMethod> of(Class<?> beanClass) {
        List<DurableMethod> known = byClass.get(beanClass);
        if (known != null) {
            return known;
        }
        List<DurableMethod> found = new ArrayList<>();
        for (Method method : declaredMethods(beanClass)) {
            if (method.getDeclaringClass() == Object.class) {
                continue;
            }
            DurableMethod durable = DurableMethod.read(method, beanClass, placeholders);
            if (durable != null) {
                found.add(durable);
                byMethod.put(method, Optional.of(durable));
            }
        }
        List<DurableMethod> result = List.copyOf(found);
        byClass.put(beanClass, result);
        return result;
    }

    private static Method[] declaredMethods(Class<?> beanClass) {
        if (beanClass.getName().startsWith("org.springframework.") || beanClass.getName().startsWith("java.")) {
            return new Method[0];
        }
        try {
            return ReflectionUtils.getUniqueDeclaredMethods(beanClass, ReflectionUtils.USER_DECLARED_METHODS);
        } catch (IllegalStateException | LinkageError ex) {
            // a class whose signatures name classes missing from the class path: it has no methods we could call
            return new Method[0];
        }
    }

    /** The durable method that {@code method} (of the user class {@code beanClass}) is, if it is one. */
    @Nullable DurableMethod find(Method method, Class<?> beanClass) {
        of(beanClass);
        return byMethod.getOrDefault(method, Optional.empty()).orElse(null);
    }
}
