package dev.weft.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spring.web.ApiCalls.Answer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * Thousands of malformed and oversized bodies sent to every endpoint that reads one: none gets a
 * 500, none gets a 2xx, and no run or journal row changes.
 */
@ApiKeyModeTest
class MalformedRequestBodiesTests {

    private static final List<String> PATHS = List.of("/api/v1/workflows", "/api/v1/activities/complete", "/api/v1/activities/fail",
            "/api/v1/workflows/start-or-signal", "/api/v1/workflows/fuzz-none/signal/approve");

    @Autowired
    MockMvc mvc;

    @Autowired
    DataSource dataSource;

    /** A body, its content type, and the endpoints it is malformed for (all when empty). */
    record Body(String contentType, byte[] bytes, String label, List<String> paths) {
        Body(String contentType, byte[] bytes, String label) {
            this(contentType, bytes, label, PATHS);
        }
    }

    @Test
    void malformedAndOversizedBodiesChangeNothingAndNeverFailTheServer() {
        ApiCalls api = new ApiCalls(mvc, ApiKeyModeTest.ALL_KEY);
        String id = api.start("callback", "\"https://callbacks.example.com/fuzz\"", "fuzz-" + System.nanoTime());
        String token = api.awaitToken(id);
        List<Body> corpus = corpus(token, new Random(20261124L));
        corpus.addAll(signalCorpus("/api/v1/workflows/" + id + "/signal/approve"));
        List<List<Object>> before = snapshot();

        int sent = 0;
        for (Body body : corpus) {
            for (String path : body.paths()) {
                MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(HttpMethod.POST, path).content(body.bytes());
                if (body.contentType() != null) {
                    request.contentType(body.contentType());
                }
                Answer answer = api.send(request);
                assertThat(answer.status()).as(body.label() + " to " + path + ": " + answer.raw()).isBetween(400, 499);
                assertThat(answer.body().path("error").isString()).as(body.label()).isTrue();
                sent++;
            }
        }

        assertThat(sent).isGreaterThan(3000);
        List<List<Object>> after = snapshot();
        List<List<Object>> changed = new ArrayList<>(after);
        changed.removeAll(before);
        List<List<Object>> gone = new ArrayList<>(before);
        gone.removeAll(after);
        assertThat(changed).as("rows added or changed; rows before them: " + gone).isEmpty();
        assertThat(gone).isEmpty();
        assertThat(api.get("/api/v1/workflows/" + id + "/pending-async-activities").body().path("items").get(0).path("token").asString())
                .isEqualTo(token);
    }

    private List<List<Object>> snapshot() {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        List<List<Object>> rows = new ArrayList<>();
        rows.addAll(jdbc.sql("select id, type, status, input, result, error_type, error_message, error_code, epoch, cancel_requested, "
                + "wake_requested, created_at, completed_at from weft_run order by id").query((rs, n) -> row(rs, 13)).list());
        rows.addAll(jdbc.sql("select run_id, seq, kind, name, state, result, error_type, error_message, attempt, due_at, updated_at "
                + "from weft_journal order by run_id, seq").query((rs, n) -> row(rs, 11)).list());
        rows.addAll(jdbc.sql("select id, run_id, name, payload, signal_id, consumed_seq from weft_signal order by id")
                .query((rs, n) -> row(rs, 6)).list());
        return rows;
    }

    private static List<Object> row(java.sql.ResultSet rs, int columns) throws java.sql.SQLException {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
            row.add(rs.getString(i));
        }
        return row;
    }

    /** Signal ids of the wrong type or size, sent to a run that exists: refused before anything is stored. */
    static List<Body> signalCorpus(String path) {
        List<Body> corpus = new ArrayList<>();
        for (String value : new String[] { "1", "-1.5e300", "true", "false", "[]", "[\"a\"]", "{}", "{\"a\":1}", "\"\"", "\"   \"",
                "\"" + "s".repeat(129) + "\"", "\"" + "\u00e9".repeat(65) + "\"" }) {
            corpus.add(new Body("application/json", bytes("{\"payload\":1,\"signalId\":" + value + "}"), "signalId " + value,
                    List.of(path)));
        }
        corpus.add(new Body("application/json", bytes("{\"payload\":\"" + "p".repeat(1024 * 1024) + "\"}"), "huge payload",
                List.of(path)));
        corpus.add(new Body("application/json", bytes("{\"payload\":\"" + "p".repeat(ApiTestApplication.MAX_PAYLOAD_BYTES) + "\"}"),
                "payload over the engine's limit", List.of(path)));
        return corpus;
    }

    /** A generated corpus: truncations, wrong types, huge strings, deep nesting, random bytes, wrong content types. */
    static List<Body> corpus(String token, Random random) {
        List<Body> corpus = new ArrayList<>();
        String json = "application/json";
        List<String> valid = List.of(
                "{\"type\":\"echo\",\"input\":{\"a\":[1,2,{\"b\":\"c\"}]},\"id\":\"fuzz-never\"}",
                "{\"token\":\"" + token + "\",\"result\":{\"ok\":true,\"list\":[1,2,3]}}",
                "{\"token\":\"" + token + "\",\"error\":{\"message\":\"boom\",\"name\":\"E\",\"nonRetryable\":true}}",
                "{\"type\":\"approval\",\"id\":\"fuzz-never-2\",\"input\":\"x\",\"signal\":{\"name\":\"approve\",\"payload\":[1],\"signalId\":\"s-1\"}}");
        for (String whole : valid) {
            // every proper prefix is truncated JSON
            for (int cut = 0; cut < whole.length(); cut++) {
                corpus.add(new Body(json, bytes(whole.substring(0, cut)), "truncated at " + cut));
            }
            // and the whole with trailing garbage
            corpus.add(new Body(json, bytes(whole + "}"), "trailing brace"));
            corpus.add(new Body(json, bytes(whole + " x"), "trailing token"));
            // the right body with a wrong content type
            for (String type : new String[] { null, "text/plain", "application/xml", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x", "not a media type", "application/octet-stream" }) {
                corpus.add(new Body(type, bytes(whole), "content type " + type));
            }
        }
        String[] wrongValues = { "1", "-1.5e300", "true", "false", "null", "[]", "[\"" + token + "\"]", "{}", "{\"token\":\"" + token + "\"}",
                "\"\"", "\"   \"" };
        for (String value : wrongValues) {
            corpus.add(new Body(json, bytes("{\"type\":" + value + ",\"input\":1}"), "type " + value));
            corpus.add(new Body(json, bytes("{\"type\":\"echo\",\"id\":" + (value.equals("null") ? "1" : value) + "}"), "id " + value));
            corpus.add(new Body(json, bytes("{\"token\":" + value + ",\"result\":1,\"error\":{\"message\":\"m\"}}"), "token " + value));
            // a valid token with a bad error is malformed only where an error is required
            corpus.add(new Body(json, bytes("{\"token\":\"" + token + "\",\"error\":" + (value.equals("{}") ? "7" : value) + "}"),
                    "error " + value, List.of(PATHS.get(2))));
            corpus.add(new Body(json, bytes("{\"token\":\"" + token + "\",\"error\":{\"message\":" + value + "}}"), "message " + value,
                    List.of(PATHS.get(2))));
        }
        for (String scalar : new String[] { "1", "\"x\"", "null", "true", "[]", "[{}]" }) {
            corpus.add(new Body(json, bytes(scalar), "top-level " + scalar));
        }
        // ids the engine refuses, with a valid type
        for (String badId : new String[] { "a\\u0000b", "\\n", "   ", "x".repeat(201), "tab\\there" }) {
            corpus.add(new Body(json, bytes("{\"type\":\"echo\",\"input\":1,\"id\":\"" + badId + "\"}"), "bad id"));
        }
        // huge strings: over the body limit in every field
        String huge = "h".repeat(1024 * 1024 + 1);
        corpus.add(new Body(json, bytes("{\"type\":\"" + huge + "\"}"), "huge type"));
        corpus.add(new Body(json, bytes("{\"type\":\"echo\",\"input\":\"" + huge + "\"}"), "huge input"));
        corpus.add(new Body(json, bytes("{\"token\":\"" + token + "\",\"result\":\"" + huge + "\"}"), "huge result"));
        corpus.add(new Body(json, bytes("{\"token\":\"" + token + "\",\"error\":{\"message\":\"" + huge + "\"}}"), "huge message"));
        corpus.add(new Body("text/plain", bytes(huge), "huge text"));
        // deep nesting, beyond the parser's bound, in every position
        for (int depth : new int[] { 300, 1000, 10_000, 100_000 }) {
            String arrays = "[".repeat(depth) + "]".repeat(depth);
            String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            corpus.add(new Body(json, bytes("{\"type\":\"echo\",\"input\":" + arrays + "}"), "deep arrays " + depth));
            corpus.add(new Body(json, bytes("{\"type\":\"echo\",\"input\":" + objects + "}"), "deep objects " + depth));
            corpus.add(new Body(json, bytes("{\"token\":\"" + token + "\",\"result\":" + arrays + "}"), "deep result " + depth));
            corpus.add(new Body(json, bytes("[".repeat(depth)), "unclosed " + depth));
        }
        // random bytes, and random mutations of valid bodies
        for (int i = 0; i < 400; i++) {
            byte[] noise = new byte[1 + random.nextInt(200)];
            random.nextBytes(noise);
            if (!isJson(noise)) {
                corpus.add(new Body(json, noise, "random bytes " + i));
            }
        }
        for (int i = 0; i < 400; i++) {
            byte[] mutated = bytes(valid.get(i % valid.size()));
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                // structural characters only, so the body cannot stay valid JSON by chance
                mutated[random.nextInt(mutated.length)] = (byte) "{}[]\":,\\".charAt(random.nextInt(8));
            }
            String text = new String(mutated, StandardCharsets.ISO_8859_1);
            // a flip inside a string can leave valid JSON (a key renamed, an escape made): keep only what no parser accepts
            if (!isJson(mutated)) {
                corpus.add(new Body(json, mutated, "mutated " + i + ": " + text));
            }
        }
        // invalid UTF-8 inside a string
        corpus.add(new Body(json, new byte[] { '{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}' }, "bad utf-8"));
        return corpus;
    }

    private static boolean isJson(byte[] body) {
        try {
            STRICT.readTree(body);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static final tools.jackson.databind.json.JsonMapper STRICT = new JsonBodyReader(
            org.springframework.util.unit.DataSize.ofMegabytes(1)).mapper();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
