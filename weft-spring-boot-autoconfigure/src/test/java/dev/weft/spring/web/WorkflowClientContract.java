package dev.weft.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.failure.ConcurrencyLimitReachedException;
import dev.weft.failure.AsyncActivityTokenNotFoundException;
import dev.weft.failure.InvalidInputException;
import dev.weft.failure.NonRetryableException;
import dev.weft.failure.PayloadSizeExceededException;
import dev.weft.PendingAsyncActivity;
import dev.weft.failure.ResultTimeoutException;
import dev.weft.ConcurrencyLimit;
import dev.weft.StartOptions;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.failure.WorkflowCancelledException;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.failure.WorkflowFinishedException;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.failure.WorkflowNotRegisteredException;
import dev.weft.WorkflowStatus;
import dev.weft.client.PageRequest;
import dev.weft.SignalWithStartResult;
import dev.weft.client.WorkflowClient;
import dev.weft.client.WorkflowFilter;
import dev.weft.failure.WorkflowNotTerminalException;
import dev.weft.client.WorkflowPage;
import dev.weft.client.WorkflowSummary;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WorkflowClient} does, in process or over HTTP: the same answers and the same
 * exceptions for the same situations. One concrete class per implementation.
 */
abstract class WorkflowClientContract {

    private static final AtomicInteger IDS = new AtomicInteger();

    protected abstract WorkflowClient client();

    private String id(String prefix) {
        return getClass().getSimpleName() + "-" + prefix + "-" + IDS.incrementAndGet() + "-" + System.nanoTime();
    }

    private String awaitToken(String id) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !client().activity().pending(id).isEmpty());
        return client().activity().pending(id).getFirst().token();
    }

    @Test
    void startsARunAndReadsItsStatusAndResult() {
        String id = id("echo");
        WorkflowSummary started = client().start("echo", "hi", StartOptions.withId(id));

        assertThat(started.id()).isEqualTo(id);
        assertThat(started.type()).isEqualTo("echo");
        assertThat(client().result(id, String.class, Duration.ofSeconds(5))).isEqualTo("echo:hi");
        WorkflowSummary done = client().get(id);
        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(done.completedAt()).isNotNull();
        assertThat(client().start("echo", "x").id()).isNotBlank();
    }

    @Test
    void refusesUnknownTypesDuplicateIdsAndUnknownRuns() {
        String id = id("dup");
        client().start("echo", "a", StartOptions.withId(id));

        assertThatThrownBy(() -> client().start("echo", "b", StartOptions.withId(id))).isInstanceOf(WorkflowAlreadyExistsException.class);
        assertThatThrownBy(() -> client().start("no-such-type", "b")).isInstanceOf(WorkflowNotRegisteredException.class);
        assertThatThrownBy(() -> client().get("no-such-run")).isInstanceOf(WorkflowNotFoundException.class);
        assertThatThrownBy(() -> client().cancel("no-such-run")).isInstanceOf(WorkflowNotFoundException.class);
        assertThatThrownBy(() -> client().result("no-such-run", String.class, Duration.ofMillis(10)))
                .isInstanceOf(WorkflowNotFoundException.class);
    }

    @Test
    void resultTimesOutFailsOrReportsACancellation() {
        String waiting = id("waiting");
        client().start("callback", "https://callbacks.example.com/a", StartOptions.withId(waiting));
        String broken = id("broken");
        client().start("broken", "b", StartOptions.withId(broken));

        assertThatThrownBy(() -> client().result(waiting, String.class, Duration.ofMillis(200))).isInstanceOf(ResultTimeoutException.class);
        assertThatThrownBy(() -> client().result(broken, String.class, Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(WorkflowFailedException.class,
                        failed -> assertThat(failed.failure().message()).isEqualTo("broken on purpose: b"));
        awaitToken(waiting);
        assertThat(client().cancel(waiting)).isTrue();
        assertThatThrownBy(() -> client().result(waiting, String.class, Duration.ofSeconds(5)))
                .isInstanceOf(WorkflowCancelledException.class);
        assertThat(client().cancel(waiting)).isFalse();
        assertThat(client().get(waiting).status()).isEqualTo(WorkflowStatus.CANCELLED);
    }

    @Test
    void listsByFilterAndPage() {
        String a = id("list");
        String b = id("list");
        client().start("echo", "1", StartOptions.withId(a));
        client().start("echo", "2", StartOptions.withId(b));
        client().result(a, String.class, Duration.ofSeconds(5));
        client().result(b, String.class, Duration.ofSeconds(5));

        WorkflowPage page = client().list(WorkflowFilter.all().withType("echo").withStatuses(WorkflowStatus.COMPLETED),
                PageRequest.first(1000));
        assertThat(page.items()).extracting(WorkflowSummary::id).contains(a, b);
        assertThat(page.items()).allSatisfy(run -> assertThat(run.status()).isEqualTo(WorkflowStatus.COMPLETED));
        assertThat(page.total()).isEqualTo(page.items().size());
        WorkflowPage one = client().list(WorkflowFilter.all().withType("echo"), new PageRequest(1, 1));
        assertThat(one.items()).hasSize(1);
        assertThat(one.offset()).isEqualTo(1);
        assertThat(one.total()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void deletesOnlyFinishedRuns() {
        String done = id("done");
        client().start("echo", "d", StartOptions.withId(done));
        client().result(done, String.class, Duration.ofSeconds(5));
        String live = id("live");
        client().start("callback", "l", StartOptions.withId(live));

        assertThatThrownBy(() -> client().delete(live)).isInstanceOf(WorkflowNotTerminalException.class);
        client().delete(done);
        assertThatThrownBy(() -> client().get(done)).isInstanceOf(WorkflowNotFoundException.class);
        assertThatThrownBy(() -> client().delete(done)).isInstanceOf(WorkflowNotFoundException.class);
    }

    @Test
    void completesAParkedActivityOnce() {
        String id = id("complete");
        client().start("callback", "https://callbacks.example.com/b", StartOptions.withId(id));
        String token = awaitToken(id);
        List<PendingAsyncActivity> pending = client().activity().pending(id);
        assertThat(pending).singleElement().satisfies(each -> {
            assertThat(each.activityName()).isEqualTo("awaitWebhook");
            assertThat(each.attempt()).isEqualTo(1);
        });

        assertThatThrownBy(() -> client().activity().complete(token, Map.of("ok", "x".repeat(ApiTestApplication.MAX_PAYLOAD_BYTES))))
                .isInstanceOf(PayloadSizeExceededException.class);
        client().activity().complete(token, Map.of("ok", true));

        assertThat(client().result(id, String.class, Duration.ofSeconds(5))).isEqualTo("ok=true");
        assertThatThrownBy(() -> client().activity().complete(token, Map.of("ok", false)))
                .isInstanceOf(AsyncActivityTokenNotFoundException.class);
        assertThat(client().activity().pending(id)).isEmpty();
        assertThatThrownBy(() -> client().activity().pending("no-such-run")).isInstanceOf(WorkflowNotFoundException.class);
    }

    @Test
    void failsAParkedActivity() {
        String id = id("fail");
        client().start("callback", "https://callbacks.example.com/c", StartOptions.withId(id));
        String token = awaitToken(id);

        client().activity().completeExceptionally(token, new NonRetryableException("callback rejected"));

        assertThatThrownBy(() -> client().result(id, String.class, Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(WorkflowFailedException.class,
                        failed -> assertThat(failed.failure().message()).contains("callback rejected"));
        assertThatThrownBy(() -> client().activity().completeExceptionally(token, new IllegalStateException("late")))
                .isInstanceOf(AsyncActivityTokenNotFoundException.class);
    }

    @Test
    void startRefusesAnInputTheWorkflowCannotReadInTheCallersTermsAndCreatesNothing() {
        String id = id("unreadable");

        assertThatThrownBy(() -> client().start("echo", Map.of("text", "hi"), StartOptions.withId(id)))
                .isInstanceOfSatisfying(InvalidInputException.class, refused -> assertThat(refused.field()).isEqualTo("input"))
                .hasMessage("Field \"input\" must be a string");
        assertThatThrownBy(() -> client().get(id)).isInstanceOf(WorkflowNotFoundException.class);
    }

    @Test
    void queriesARunAndRefusesUnknownQueriesAndFinishedRuns() {
        String id = id("query");
        client().start("approval", "budget", StartOptions.withId(id));
        client().signal(id, "approve", "ada");

        org.awaitility.Awaitility.await().until(() -> Integer.valueOf(1).equals(client().query(id, "approvals", null, Integer.class)));
        assertThat(client().query(id, "approver", 0, String.class)).isEqualTo("ada");
        assertThatThrownBy(() -> client().query(id, "nope", null, String.class)).isInstanceOf(dev.weft.failure.QueryNotFoundException.class);
        assertThatThrownBy(() -> client().query(id, "approver", "first", String.class))
                .isInstanceOfSatisfying(InvalidInputException.class, refused -> assertThat(refused.field()).isEqualTo("argument"))
                .hasMessage("Field \"argument\" must be a number");
        client().signal(id, "approve", "bo");
        client().result(id, String.class, Duration.ofSeconds(5));
        assertThatThrownBy(() -> client().query(id, "approvals", null, Integer.class)).isInstanceOf(WorkflowFinishedException.class);
        assertThatThrownBy(() -> client().query("no-such-run", "approvals", null, Integer.class))
                .isInstanceOf(WorkflowNotFoundException.class);
    }

    @Test
    void signalsARunOncePerSignalIdAndRefusesFinishedAndUnknownRuns() {
        String id = id("signal");
        client().start("approval", "budget", StartOptions.withId(id));

        assertThat(client().signal(id, "approve", "ada", "form-1")).isTrue();
        assertThat(client().signal(id, "approve", "eve", "form-1")).isFalse();
        assertThat(client().signal(id, "approve", "bo")).isTrue();

        assertThat(client().result(id, String.class, Duration.ofSeconds(5))).isEqualTo("budget approved by ada and bo");
        assertThatThrownBy(() -> client().signal(id, "approve", "late")).isInstanceOf(WorkflowFinishedException.class);
        assertThatThrownBy(() -> client().signal("no-such-run", "approve", "x")).isInstanceOf(WorkflowNotFoundException.class);
        assertThatThrownBy(() -> client().signal(id, "approve", "x", "s".repeat(129))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client().signal(id, "approve", Map.of("big", "x".repeat(ApiTestApplication.MAX_PAYLOAD_BYTES))))
                .isInstanceOf(PayloadSizeExceededException.class);
    }

    @Test
    void signalWithStartStartsOnceThenSignals() {
        String id = id("sws");

        SignalWithStartResult started = client().signalWithStart("approval", "trip", StartOptions.withId(id), "approve", "ada", "s-1");
        SignalWithStartResult duplicate = client().signalWithStart("approval", "trip", StartOptions.withId(id), "approve", "ada", "s-1");
        SignalWithStartResult signalled = client().signalWithStart("approval", "other", StartOptions.withId(id), "approve", "bo", null);

        assertThat(started).isEqualTo(new SignalWithStartResult(id, true, true));
        assertThat(duplicate).isEqualTo(new SignalWithStartResult(id, false, false));
        assertThat(signalled).isEqualTo(new SignalWithStartResult(id, false, true));
        assertThat(client().result(id, String.class, Duration.ofSeconds(5))).isEqualTo("trip approved by ada and bo");
        assertThatThrownBy(() -> client().signalWithStart("approval", "x", StartOptions.withId(id), "approve", "c", null))
                .isInstanceOf(WorkflowFinishedException.class);
        assertThatThrownBy(() -> client().signalWithStart("no-such-type", "x", StartOptions.withId(id("unknown")), "approve", "c", null))
                .isInstanceOf(WorkflowNotRegisteredException.class);
    }

    @Test
    void aKeyedStartFindsTheRunOfTheFirstAndRefusesOrReplacesItOnceEnded() {
        String key = id("key");
        StartOptions keyed = StartOptions.builder().idempotencyKey(key).build();

        WorkflowSummary first = client().start("approval", "keyed", keyed);
        WorkflowSummary again = client().start("approval", "keyed", keyed);
        assertThat(again.id()).isEqualTo(first.id());

        assertThat(client().signal(first.id(), "approve", "ada")).isTrue();
        assertThat(client().signal(first.id(), "approve", "bo")).isTrue();
        assertThat(client().result(first.id(), String.class, Duration.ofSeconds(5))).isEqualTo("keyed approved by ada and bo");
        assertThatThrownBy(() -> client().start("approval", "keyed", keyed)).isInstanceOf(WorkflowAlreadyExistsException.class)
                .hasMessageContaining(first.id());
        WorkflowSummary renewed = client().start("approval", "keyed",
                StartOptions.builder().idempotencyKey(key).ifEnded(StartOptions.IfEnded.START_NEW).build());
        assertThat(renewed.id()).isNotEqualTo(first.id());
        assertThat(renewed.status()).isEqualTo(WorkflowStatus.RUNNING);
    }

    @Test
    void signalWithStartUnderAKeyStartsOnceThenSignals() {
        StartOptions keyed = StartOptions.builder().idempotencyKey(id("sws-key")).build();

        SignalWithStartResult started = client().signalWithStart("approval", "keyed trip", keyed, "approve", "ada", null);
        SignalWithStartResult signalled = client().signalWithStart("approval", "ignored", keyed, "approve", "bo", null);

        assertThat(started.started()).isTrue();
        assertThat(signalled).isEqualTo(new SignalWithStartResult(started.id(), false, true));
        assertThat(client().result(started.id(), String.class, Duration.ofSeconds(5))).isEqualTo("keyed trip approved by ada and bo");
    }

    @Test
    void aStartOverItsConcurrencyLimitQueuesOrIsRefusedAsItAsks() {
        String key = id("limit-key");
        String first = id("limited");
        String queued = id("limited");
        client().start("approval", "a", StartOptions.builder().id(first).concurrency(key, 1).build());

        WorkflowSummary waiting = client().start("approval", "b", StartOptions.builder().id(queued).concurrency(key, 1).build());
        assertThat(waiting.status()).isEqualTo(WorkflowStatus.QUEUED);
        ConcurrencyLimit reject = new ConcurrencyLimit(key, 1, ConcurrencyLimit.OverLimit.REJECT);
        assertThatThrownBy(() -> client().start("approval", "c", StartOptions.builder().concurrency(reject).build()))
                .isInstanceOfSatisfying(ConcurrencyLimitReachedException.class, refused -> {
                    assertThat(refused.concurrencyKey()).isEqualTo(key);
                    assertThat(refused.limit()).isEqualTo(1);
                    assertThat(refused.workflowType()).isEqualTo("approval");
                });

        assertThat(client().cancel(queued)).isTrue();
        assertThat(client().get(queued).status()).isEqualTo(WorkflowStatus.CANCELLED);
        client().cancel(first);
    }

    @Test
    void suspendsAndResumesARun() {
        String id = id("suspend");
        client().start("approval", "held", StartOptions.withId(id));

        assertThat(client().suspend(id)).isTrue();
        assertThat(client().suspend(id)).isFalse();
        assertThat(client().get(id).status()).isEqualTo(WorkflowStatus.SUSPENDED);
        client().signal(id, "approve", "ada");
        client().signal(id, "approve", "bo");
        assertThat(client().resume(id).status()).isIn(WorkflowStatus.RUNNING, WorkflowStatus.COMPLETED);

        assertThat(client().result(id, String.class, Duration.ofSeconds(5))).isEqualTo("held approved by ada and bo");
        assertThatThrownBy(() -> client().suspend(id)).isInstanceOf(WorkflowFinishedException.class);
        assertThatThrownBy(() -> client().resume(id)).isInstanceOf(WorkflowFinishedException.class);
        assertThatThrownBy(() -> client().suspend("no-such-run")).isInstanceOf(WorkflowNotFoundException.class);
        assertThatThrownBy(() -> client().resume("no-such-run")).isInstanceOf(WorkflowNotFoundException.class);
    }
}
