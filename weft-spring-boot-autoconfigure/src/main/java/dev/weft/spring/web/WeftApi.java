package dev.weft.spring.web;

import java.util.List;

/** Where the REST API lives, and the controllers that make it up. */
public final class WeftApi {

    /** The path every endpoint of the API starts with. */
    public static final String BASE_PATH = "/api/v1";

    /** The API's controllers; its error handling applies to these only. */
    public static final List<Class<?>> CONTROLLERS = List.of(WorkflowController.class, SignalController.class,
            AsyncActivityController.class, TaskQueueController.class, WorkerController.class, OpenApiController.class);

    private WeftApi() {
    }
}
