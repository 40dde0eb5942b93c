package dev.weft.spring.web;

import dev.weft.WeftEngine;
import dev.weft.client.EngineWorkflowClient;
import dev.weft.client.WorkflowClient;
import org.springframework.beans.factory.annotation.Autowired;

/** The contract of the in-process client. */
@ApiKeyModeTest
class EngineWorkflowClientTests extends WorkflowClientContract {

    @Autowired
    WeftEngine engine;

    @Override
    protected WorkflowClient client() {
        return new EngineWorkflowClient(engine);
    }
}
