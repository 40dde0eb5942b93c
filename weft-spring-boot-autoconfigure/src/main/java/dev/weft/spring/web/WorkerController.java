package dev.weft.spring.web;

import dev.weft.client.wire.WorkerList;
import dev.weft.client.wire.WorkerView;
import dev.weft.spring.remote.RemoteWorkerHub;
import dev.weft.spring.remote.RemoteWorkerInfo;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The API's remote workers connected to this node: list them, drain one, or let it take tasks again. */
@RestController
@RequestMapping(WeftApi.BASE_PATH)
public class WorkerController {

    private final RemoteWorkerHub hub;

    public WorkerController(RemoteWorkerHub hub) {
        this.hub = hub;
    }

    @GetMapping("/workers")
    public WorkerList list() {
        return new WorkerList(hub.workers().stream().map(WorkerController::view).toList(), "least-loaded");
    }

    /** No new task goes to the worker; it finishes those it has. */
    @PostMapping("/workers/{workerId}/drain")
    public WorkerView drain(@PathVariable("workerId") String workerId) {
        return view(hub.drain(workerId, true).orElseThrow(() -> ApiException.notFound("worker", workerId)));
    }

    /** The worker takes tasks again. */
    @DeleteMapping("/workers/{workerId}/drain")
    public WorkerView undrain(@PathVariable("workerId") String workerId) {
        return view(hub.drain(workerId, false).orElseThrow(() -> ApiException.notFound("worker", workerId)));
    }

    private static WorkerView view(RemoteWorkerInfo worker) {
        return new WorkerView(worker.id(), worker.queue(), worker.activities(), worker.concurrency(), worker.inFlight(),
                worker.availableCapacity(), worker.connectedAt().toString(), worker.lastHeartbeatAt().toString(),
                worker.heartbeatAge().toMillis(), worker.health(), worker.connected(), worker.deploymentName(), worker.buildId(),
                worker.runtimeVersion(), worker.gitSha(), worker.startedAt());
    }
}
