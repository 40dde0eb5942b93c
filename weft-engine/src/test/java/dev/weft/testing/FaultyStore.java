package dev.weft.testing;

import dev.weft.StoreException;
import dev.weft.store.WorkflowStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * A real store whose lease renewals can be made to fail, as they do when the database is out of
 * reach. Everything else goes to the real store: a proxy, so the SPI can grow without this class.
 */
public final class FaultyStore {

    private final WorkflowStore store;
    private volatile boolean renewalsFail;

    public FaultyStore(WorkflowStore delegate) {
        this.store = (WorkflowStore) Proxy.newProxyInstance(WorkflowStore.class.getClassLoader(), new Class<?>[] {WorkflowStore.class},
                (proxy, method, args) -> {
                    if (renewalsFail && method.getName().equals("renewLeases")) {
                        throw new StoreException("database unreachable (simulated)");
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The store to give the engine. */
    public WorkflowStore store() {
        return store;
    }

    public void failRenewals(boolean fail) {
        this.renewalsFail = fail;
    }
}
