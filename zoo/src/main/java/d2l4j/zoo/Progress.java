package d2l4j.zoo;

import java.io.PrintStream;

/**
 * A progress bar for one epoch: batches done, images per second and running loss. On a terminal it
 * redraws one line (at most a few times a second); otherwise it prints a line at each quarter of the epoch.
 */
final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private final int total;
    private final String title;
    private long lastDraw;
    private int lastQuarter;

    Progress(PrintStream out, String title, int totalBatches) {
        this.out = out;
        this.terminal = System.console() != null && System.console().isTerminal();
        this.total = totalBatches;
        this.title = title;
    }

    /**
     * Whether {@link #update} would draw after {@code done} batches: the training loop reads its metrics
     * from the device only then (a read waits for the device).
     */
    boolean wantsUpdate(int done) {
        if (terminal) return done >= total || System.nanoTime() - lastDraw >= 200_000_000L;
        return 4 * done / Math.max(total, 1) > lastQuarter && done < total;
    }

    void update(int done, double imagesPerSec, double runningLoss) {
        long now = System.nanoTime();
        int quarter = 4 * done / Math.max(total, 1);
        if (terminal) {
            if (done < total && now - lastDraw < 200_000_000L) return;
            lastDraw = now;
            int filled = WIDTH * done / Math.max(total, 1);
            out.printf("\r%s [%s%s] %d/%d batches, %.0f img/s, loss %.4f", title, "=".repeat(filled),
                    " ".repeat(WIDTH - filled), done, total, imagesPerSec, runningLoss);
            out.flush();
        } else if (quarter > lastQuarter && done < total) {
            lastQuarter = quarter;
            out.printf("%s %d/%d batches, %.0f img/s, loss %.4f%n", title, done, total, imagesPerSec, runningLoss);
        }
    }

    /** Clears the bar so the next line starts clean. */
    void finish() {
        if (terminal) {
            out.print("\r" + " ".repeat(title.length() + WIDTH + 60) + "\r");
            out.flush();
        }
    }
}
