package dev.weft.spring;

import dev.weft.WeftEngine;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.framework.AbstractAdvisingBeanPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Finds the beans that have {@link Workflow @Workflow} or {@link Activity @Activity} methods and
 * gives them a class-based proxy whose advice makes calls of those methods durable. A bean that is
 * already a Spring AOP proxy (for {@code @Transactional}, say) gets the advice added in front of
 * its own, so a durable call is routed before a transaction opens. A method that cannot be a
 * durable method fails the creation of its bean.
 */
public class DurableMethodPostProcessor extends AbstractAdvisingBeanPostProcessor implements BeanFactoryAware {

    private final Map<String, Class<?>> discovered = new LinkedHashMap<>();
    private DurableMethods methods = new DurableMethods(value -> value);

    public DurableMethodPostProcessor() {
        setProxyTargetClass(true);
        setBeforeExistingAdvisors(true);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        if (beanFactory instanceof ConfigurableBeanFactory configurable) {
            this.methods = new DurableMethods(value -> {
                String resolved = configurable.resolveEmbeddedValue(value);
                return resolved != null ? resolved : value;
            });
        }
        DurableMethods known = this.methods;
        StaticMethodMatcherPointcut pointcut = new StaticMethodMatcherPointcut() {
            @Override
            public boolean matches(Method method, Class<?> targetClass) {
                Class<?> beanClass = ClassUtils.getUserClass(targetClass);
                return known.find(AopUtils.getMostSpecificMethod(method, beanClass), beanClass) != null;
            }
        };
        pointcut.setClassFilter(ClassFilter.TRUE);
        this.advisor = new DefaultPointcutAdvisor(pointcut,
                new DurableCallInterceptor(known, () -> beanFactory.getBean(WeftEngine.class)));
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> beanClass = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
        if (!methods.of(beanClass).isEmpty()) {
            synchronized (discovered) {
                discovered.put(beanName, beanClass);
            }
        }
        return super.postProcessAfterInitialization(bean, beanName);
    }

    /** The beans found to have durable methods so far, by bean name, with their user classes. */
    Map<String, Class<?>> discovered() {
        synchronized (discovered) {
            return new LinkedHashMap<>(discovered);
        }
    }

    DurableMethods methods() {
        return methods;
    }
}
