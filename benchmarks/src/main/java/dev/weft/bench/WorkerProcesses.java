package dev.weft.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker JVMs of one W8 trial, each a {@link RemoteWorkerChild} of {@code concurrency} slots,
 * started together and registered before the trial's clock starts; closing kills them.
 */
final class WorkerProcesses implements AutoCloseable {

    private final List<ChildProcess> children = new ArrayList<>();

    private WorkerProcesses() {
    }

    static WorkerProcesses start(String serverUrl, String queue, int workers, int concurrency, String trial) throws IOException {
        WorkerProcesses started = new WorkerProcesses();
        try {
            for (int i = 0; i < workers; i++) {
                String id = trial + "-worker-" + i;
                started.children.add(ChildProcess.start(List.of(RemoteWorkerChild.COMMAND, serverUrl, queue, id,
                        Integer.toString(concurrency)), id));
            }
            // the JVMs start in parallel; their registrations are awaited one after another
            for (ChildProcess child : started.children) {
                child.await("REGISTERED");
            }
            return started;
        } catch (IOException | RuntimeException e) {
            started.close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (ChildProcess child : children) {
            try {
                child.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
