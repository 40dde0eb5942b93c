package dev.weft.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * {@code concurrency} client threads, each starting its next unit of work as soon as its last one
 * ended, until {@code total} units are done. Each unit's latency goes into a histogram.
 */
final class ClosedLoop {

    interface Unit {
        void run(int index) throws Exception;
    }

    private ClosedLoop() {
    }

    static Histogram run(int concurrency, int total, Unit unit) {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            Histogram histogram = Meter.histogram();
            histograms.add(histogram);
            clients.add(Thread.ofPlatform().name("bench-client-" + c).start(() -> {
                int index;
                while (failure.get() == null && (index = next.getAndIncrement()) < total) {
                    long start = System.nanoTime();
                    try {
                        unit.run(index);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                        return;
                    }
                    histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                }
            }));
        }
        for (Thread client : clients) {
            try {
                client.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a unit of work failed", failure.get());
        }
        Histogram all = Meter.histogram();
        histograms.forEach(all::add);
        return all;
    }
}
