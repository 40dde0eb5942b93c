package dev.weft.testing;

import dev.weft.failure.StoreException;
import dev.weft.store.WorkflowStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store whose lease renewals can be made to fail, as they do when the database is out of
 * reach, or to hang, as a slow statement does, and any of whose methods can be made to fail a few
 * times. Everything else goes to the real store: a proxy, so the SPI can grow without this class.
 */
public final class FaultyStore {

    private final WorkflowStore store;
    private volatile boolean renewalsFail;
    private final Hold renewalsHeld = new Hold();
    private final Map<String, AtomicInteger> failingCalls = new ConcurrentHashMap<>();

    public FaultyStore(WorkflowStore delegate) {
        this.store = (WorkflowStore) Proxy.newProxyInstance(WorkflowStore.class.getClassLoader(), new Class<?>[] {WorkflowStore.class},
                (proxy, method, args) -> {
                    AtomicInteger failing = failingCalls.get(method.getName());
                    if (failing != null && failing.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                        throw new StoreException("database unreachable (simulated) in " + method.getName());
                    }
                    // what the lease keeper asks of a database it cannot reach: its renewals, and the probe of a node with no runs
                    if (renewalsFail && method.getName().equals("databaseTime")) {
                        throw new StoreException("database unreachable (simulated)");
                    }
                    if (method.getName().equals("renewLeases")) {
                        if (renewalsFail) {
                            throw new StoreException("database unreachable (simulated)");
                        }
                        renewalsHeld.pass();
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

    /** Makes lease renewals fail, and the database-time probe of a node with no runs, as when the database is out of reach. */
    public void failRenewals(boolean fail) {
        this.renewalsFail = fail;
    }

    /**
     * The next {@code times} calls of the store method {@code method} throw a {@link StoreException},
     * as when the database is briefly away.
     */
    public void failNext(String method, int times) {
        failingCalls.put(method, new AtomicInteger(times));
    }

    /** How many of the failures {@link #failNext(String, int)} asked for are still to come. */
    public int failuresLeft(String method) {
        AtomicInteger left = failingCalls.get(method);
        return left == null ? 0 : left.get();
    }

    /** From now on a renewal waits, as a slow statement would, until {@link Hold#release()}; interrupts do not end the wait. */
    public Hold holdRenewals() {
        renewalsHeld.arm();
        return renewalsHeld;
    }

    /** A place calls stop at while armed, deaf to interrupts like a JDBC call in flight. */
    public static final class Hold {

        private volatile CountDownLatch release = new CountDownLatch(0);
        private final CountDownLatch arrived = new CountDownLatch(1);
        private volatile boolean passedAfterRelease;

        void arm() {
            release = new CountDownLatch(1);
        }

        void pass() {
            if (release.getCount() == 0) {
                return;
            }
            arrived.countDown();
            boolean interrupted = false;
            while (true) {
                try {
                    release.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            passedAfterRelease = true;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        public boolean awaitArrival(Duration patience) throws InterruptedException {
            return arrived.await(patience.toMillis(), TimeUnit.MILLISECONDS);
        }

        public void release() {
            release.countDown();
        }

        /** Whether a held call has gone on after {@link #release()}. */
        public boolean passed() {
            return passedAfterRelease;
        }
    }
}
