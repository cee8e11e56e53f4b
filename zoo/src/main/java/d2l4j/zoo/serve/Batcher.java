package d2l4j.zoo.serve;

import d2l4j.zoo.infer.Classifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Micro-batching: requests that arrive within {@code windowMs} of the first one waiting share one forward pass
 * (at most {@code maxBatch} images), as serving systems do to keep a core busy with one larger product instead
 * of many thin ones. One thread takes the first request, waits out the window collecting more, runs the batch and
 * hands each request its row of logits.
 */
final class Batcher {
    /** One request's image and its answer; {@code batch} is how many images its forward pass ran. */
    static final class Job extends CompletableFuture<float[]> {
        final float[] image;
        volatile int batch = 1;

        Job(float[] image) {
            this.image = image;
        }
    }

    private final Classifier classifier;
    private final int windowMs, maxBatch;
    private final Metrics metrics;
    private final LinkedBlockingQueue<Job> queue;
    private final Thread thread;
    private volatile boolean running = true;

    Batcher(Classifier classifier, int windowMs, int maxBatch, Metrics metrics) {
        this.classifier = classifier;
        this.windowMs = windowMs;
        this.maxBatch = Math.max(1, maxBatch);
        this.metrics = metrics;
        this.queue = new LinkedBlockingQueue<>(Math.max(1, maxBatch) * 8);
        this.thread = new Thread(this::loop, "d2l4j-serve-batcher");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues one image (side×side floats); refused (RejectedExecutionException) when the queue is full. */
    Job submit(float[] image) {
        Job j = new Job(image);
        if (!running || !queue.offer(j)) throw new RejectedExecutionException("batch queue full");
        return j;
    }

    /** Finishes what is queued, then ends the thread. */
    void stop() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (running || !queue.isEmpty()) {
            try {
                Job first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                List<Job> jobs = new ArrayList<>(List.of(first));
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(windowMs);
                while (jobs.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) break;
                    Job next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) break;
                    jobs.add(next);
                }
                run(jobs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void run(List<Job> jobs) {
        jobs.removeIf(CompletableFuture::isDone); // timed out and cancelled meanwhile
        if (jobs.isEmpty()) return;
        int n = jobs.size(), len = jobs.get(0).image.length;
        float[] batch = new float[n * len];
        for (int i = 0; i < n; i++) System.arraycopy(jobs.get(i).image, 0, batch, i * len, len);
        try {
            float[] logits = classifier.logits(batch, n);
            int classes = logits.length / n;
            metrics.batch(n);
            for (int i = 0; i < n; i++) {
                jobs.get(i).batch = n;
                jobs.get(i).complete(java.util.Arrays.copyOfRange(logits, i * classes, (i + 1) * classes));
            }
        } catch (RuntimeException e) {
            for (Job j : jobs) j.completeExceptionally(e);
        }
    }
}
