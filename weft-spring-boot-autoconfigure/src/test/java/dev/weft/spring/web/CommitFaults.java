package dev.weft.spring.web;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * A DataSource whose connections can be told to fail one commit: the commit of the next
 * transaction that ran a statement containing a given fragment is rolled back and throws, as a
 * crash between the statements and their commit would leave things.
 */
final class CommitFaults {

    private final AtomicReference<String> armed = new AtomicReference<>();
    private final DataSource dataSource;

    CommitFaults(DataSource target) {
        this.dataSource = (DataSource) Proxy.newProxyInstance(CommitFaults.class.getClassLoader(), new Class<?>[] { DataSource.class },
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    return result instanceof Connection connection ? connection(connection) : result;
                });
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** The next commit of a transaction that ran a statement containing {@code fragment} fails. */
    void failNextCommitOf(String fragment) {
        armed.set(fragment.toLowerCase(Locale.ROOT));
    }

    boolean isArmed() {
        return armed.get() != null;
    }

    private Connection connection(Connection target) {
        List<String> statements = new ArrayList<>();
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "prepareStatement", "prepareCall" -> statements.add(String.valueOf(args[0]).toLowerCase(Locale.ROOT));
                case "commit" -> {
                    String fragment = armed.get();
                    boolean fail = fragment != null && statements.stream().anyMatch(sql -> sql.contains(fragment))
                            && armed.compareAndSet(fragment, null);
                    statements.clear();
                    if (fail) {
                        target.rollback();
                        throw new SQLException("simulated crash before the commit");
                    }
                }
                case "rollback" -> statements.clear();
                default -> { }
            }
            return invoke(target, method, args);
        };
        return (Connection) Proxy.newProxyInstance(CommitFaults.class.getClassLoader(), new Class<?>[] { Connection.class }, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
