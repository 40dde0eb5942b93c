package dev.weft.spring.web;

import dev.weft.WeftEngine;
import dev.weft.client.EngineWorkflowClient;
import dev.weft.client.WorkflowClient;
import dev.weft.store.WorkflowStore;
import org.springframework.beans.factory.annotation.Autowired;

/** The contract of the in-process client. */
@ApiKeyModeTest
class EngineWorkflowClientTests extends WorkflowClientContract {

    @Autowired
    WeftEngine engine;

    @Autowired
    WorkflowStore store;

    @Override
    protected WorkflowClient client() {
        return new EngineWorkflowClient(engine, store);
    }
}
