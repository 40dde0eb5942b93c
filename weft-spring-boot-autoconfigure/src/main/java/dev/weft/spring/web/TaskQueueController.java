package dev.weft.spring.web;

import dev.weft.WeftEngine;
import dev.weft.activity.QueueName;
import dev.weft.client.wire.Acknowledgement;
import dev.weft.client.wire.TaskQueueList;
import dev.weft.client.wire.TaskQueueView;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The API's activity queues: list them, and pause or resume one for every node. */
@RestController
@RequestMapping(WeftApi.BASE_PATH)
public class TaskQueueController {

    private final WeftEngine engine;

    public TaskQueueController(WeftEngine engine) {
        this.engine = engine;
    }

    @GetMapping("/task-queues")
    public TaskQueueList list() {
        return new TaskQueueList(engine.queues().list().stream().map(TaskQueueView::of).toList());
    }

    @PostMapping("/task-queues/{name}/pause")
    public Acknowledgement pause(@PathVariable("name") String name) {
        engine.queues().pause(valid(name));
        return Acknowledgement.OK;
    }

    @PostMapping("/task-queues/{name}/resume")
    public Acknowledgement resume(@PathVariable("name") String name) {
        engine.queues().resume(valid(name));
        return Acknowledgement.OK;
    }

    private static String valid(String name) {
        if (!QueueName.isValid(name)) {
            throw ApiException.invalid("name", "a queue name is 1 to 100 letters, digits, '_' or '-'");
        }
        return name;
    }
}
