package dev.weft.worker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protocol's frames written and read back, and the codes of what is refused. */
class FramesTests {

    @Test
    void workerFramesReadBackAsWritten() {
        WorkerMessage.Register register = WorkerMessage.Register.of("w-1", List.of("echo", "shout"), 4, "default");
        WorkerMessage.TaskResult done = WorkerMessage.TaskResult.completed("op", Frames.json("{\"n\":1}"));
        WorkerMessage.TaskResult failed = WorkerMessage.TaskResult.failed("op", "Error: no");
        WorkerMessage.TaskResult cancelled = WorkerMessage.TaskResult.cancelled("op", "stopped");

        for (WorkerMessage message : List.of(register, new WorkerMessage.Heartbeat("w-1"), done, failed, cancelled)) {
            assertThat(Frames.readWorker(Frames.write(message))).isEqualTo(message);
        }
        assertThat(Frames.write(cancelled)).contains("\"cancelled\":true");
    }

    @Test
    void serverFramesReadBackAsWritten() {
        List<ServerMessage> messages = List.of(new ServerMessage.RegisterAck(1, "w", "q", List.of("a"), 3),
                new ServerMessage.RegisterError(Protocol.UNSUPPORTED_PROTOCOL_VERSION, "no", List.of(1), 2),
                new ServerMessage.ProtocolError(Protocol.INVALID_JSON, "bad"),
                new ServerMessage.Task("op", "echo", Frames.json("[1]"), 2, Map.of("weft-run-id", "r")),
                new ServerMessage.Cancel("op"), new ServerMessage.Shutdown());

        for (ServerMessage message : messages) {
            assertThat(Frames.readServer(Frames.write(message))).contains(message);
        }
        assertThat(Frames.readServer("{\"type\":\"somethingNew\"}")).as("workers ignore what they do not know").isEmpty();
    }

    @Test
    void aTaskWithoutInputCarriesNull() {
        assertThat(Frames.write(new ServerMessage.Task("op", "echo", null, null, null))).contains("\"input\":null");
    }

    @Test
    void refusedFramesCarryTheProtocolsCodes() {
        assertThatThrownBy(() -> Frames.readWorker("{")).isInstanceOfSatisfying(FrameRejected.class,
                rejected -> assertThat(rejected.code()).isEqualTo(Protocol.INVALID_JSON));
        assertThatThrownBy(() -> Frames.readWorker("{\"type\":\"nope\"}")).isInstanceOfSatisfying(FrameRejected.class,
                rejected -> assertThat(rejected.code()).isEqualTo(Protocol.UNKNOWN_MESSAGE_TYPE));
        assertThatThrownBy(() -> Frames.readWorker("{\"type\":\"taskResult\",\"operationId\":\"o\",\"status\":\"failed\"}"))
                .isInstanceOfSatisfying(FrameRejected.class, rejected -> {
                    assertThat(rejected.code()).isEqualTo(Protocol.INVALID_MESSAGE);
                    assertThat(rejected.getMessage()).contains("'error'");
                });
        assertThatThrownBy(() -> Frames.readWorker("{\"type\":\"register\",\"protocolVersion\":2,\"workerId\":\"w\",\"activities\":[\"a\"]}"))
                .isInstanceOfSatisfying(FrameRejected.class, rejected -> {
                    assertThat(rejected.registration()).isTrue();
                    assertThat(rejected.code()).isEqualTo(Protocol.UNSUPPORTED_PROTOCOL_VERSION);
                    assertThat(rejected.requestedVersion()).isEqualTo(2);
                });
    }

    @Test
    void concurrencyDefaultsAndIsClamped() {
        String base = "{\"type\":\"register\",\"protocolVersion\":1,\"workerId\":\"w\",\"activities\":[\"a\"]";
        assertThat(((WorkerMessage.Register) Frames.readWorker(base + "}")).concurrency()).isEqualTo(Protocol.DEFAULT_CONCURRENCY);
        assertThat(((WorkerMessage.Register) Frames.readWorker(base + ",\"concurrency\":0}")).concurrency()).isOne();
        assertThat(((WorkerMessage.Register) Frames.readWorker(base + ",\"concurrency\":1e9}")).concurrency())
                .isEqualTo(Protocol.MAX_CONCURRENCY);
    }
}
