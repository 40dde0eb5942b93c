package dev.weft.spring.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.weft.WorkflowHandle;
import dev.weft.WorkflowStatus;
import dev.weft.worker.protocol.Protocol;
import dev.weft.worker.protocol.ServerMessage;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Thousands of random, mutated, deeply nested and oversized frames, on sockets before and after
 * registration, while a worker holds a task: the hub never throws, every refused frame is answered
 * with the protocol's codes, and the task, its claim and its run are as they were; the real worker's
 * result is adopted afterwards.
 */
class RemoteWorkerFrameFuzzTests extends RemoteWorkerScenariosBase {

    private static final long SEED = 20261206L;
    private static final int FRAMES = 3000;

    private static final List<String> VALID = List.of(
            "{\"type\":\"register\",\"protocolVersion\":1,\"workerId\":\"fuzz\",\"activities\":[\"echo\"],\"concurrency\":3}",
            "{\"type\":\"heartbeat\",\"workerId\":\"fuzz\"}",
            "{\"type\":\"taskResult\",\"operationId\":\"%OP%\",\"status\":\"completed\",\"value\":{\"a\":[1,2,null]}}",
            "{\"type\":\"taskResult\",\"operationId\":\"%OP%\",\"status\":\"failed\",\"error\":\"boom\"}",
            "{\"type\":\"taskResult\",\"operationId\":\"%OP%\",\"status\":\"cancelled\",\"error\":\"stop\",\"cancelled\":true}");

    private static final String[] JUNK = { "", "null", "true", "-1", "1e999", "\"x\"", "[]", "{}", "{\"type\":null}", "\u0000",
            "\uD800", "{\"type\":\"register\",\"activities\":{}}", "{\"type\":\"taskResult\",\"status\":7}" };

    @Override
    protected DataSource dataSource() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:remote-fuzz-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return h2;
    }

    @Test
    void randomAndMutatedFramesNeverCrashTheHubNorChangeATaskOrItsRun() {
        RecordingSocket owner = registered("owner", "echo");
        WorkflowHandle<Object> run = start("hello");
        ServerMessage.Task task = owner.await(ServerMessage.Task.class);
        String claimBefore = claimOf(run.id());
        Random random = new Random(SEED);

        for (int i = 0; i < FRAMES; i++) {
            if (i % 200 == 0) {
                // the owner stays alive throughout
                owner.frame("{\"type\":\"heartbeat\",\"workerId\":\"owner\"}");
            }
            String frame = frame(random);
            RecordingSocket socket = random.nextBoolean() ? RecordingSocket.open(hub, QUEUE) : registered("fuzz-" + i, "other");
            assertThatCode(() -> socket.frame(frame)).as(frame).doesNotThrowAnyException();
            for (ServerMessage answer : socket.messages()) {
                if (answer instanceof ServerMessage.ProtocolError error) {
                    assertThat(error.code()).isIn(Protocol.INVALID_JSON, Protocol.INVALID_MESSAGE, Protocol.UNKNOWN_MESSAGE_TYPE,
                            Protocol.REGISTRATION_REQUIRED);
                }
                if (answer instanceof ServerMessage.RegisterError error) {
                    assertThat(error.code()).isIn(Protocol.INVALID_REGISTRATION, Protocol.UNSUPPORTED_PROTOCOL_VERSION);
                    assertThat(socket.closeCode()).isEqualTo(Protocol.CLOSE_POLICY_VIOLATION);
                }
            }
            socket.drop();
        }

        assertThat(run.status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(claimOf(run.id())).isEqualTo(claimBefore);
        assertThat(owner.closeCode()).isNull();
        owner.frame(completed(task.operationId(), "\"survived\""));
        assertThat(run.result(Duration.ofSeconds(20))).isEqualTo("survived");
    }

    @Test
    void anOversizedFrameIsRefusedAndClosesOnlyItsSocket() {
        RecordingSocket socket = registered("big", "echo");

        socket.frame("{\"type\":\"heartbeat\",\"workerId\":\"" + "x".repeat(70 * 1024) + "\"}");

        assertThat(socket.await(ServerMessage.ProtocolError.class).code()).isEqualTo(Protocol.INVALID_MESSAGE);
        assertThat(socket.closeCode()).isEqualTo(Protocol.CLOSE_PROTOCOL_ERROR);
    }

    private String claimOf(String runId) {
        return JdbcClient.create(dataSource).sql("select claim_token from " + prefix + "task where run_id = :run")
                .param("run", runId).query(String.class).single();
    }

    /** A valid frame mutated a few times, a junk value, or deep nesting; result frames name unknown operations. */
    private static String frame(Random random) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return JUNK[random.nextInt(JUNK.length)];
        }
        if (kind == 1) {
            int depth = 1 + random.nextInt(2000);
            return "{\"type\":\"taskResult\",\"operationId\":\"x\",\"status\":\"completed\",\"value\":" + "[".repeat(depth)
                    + "]".repeat(depth) + "}";
        }
        StringBuilder text = new StringBuilder(VALID.get(random.nextInt(VALID.size())).replace("%OP%", UUID.randomUUID().toString()));
        int mutations = random.nextInt(4);
        for (int m = 0; m < mutations && !text.isEmpty(); m++) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(4)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, "{}[]\":,0-eE\\ntu".charAt(random.nextInt(15)));
                case 2 -> text.setCharAt(at, (char) random.nextInt(0x3000));
                default -> text.replace(at, Math.min(text.length(), at + random.nextInt(8)), "");
            }
        }
        return text.toString();
    }
}
