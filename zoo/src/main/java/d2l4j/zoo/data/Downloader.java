package d2l4j.zoo.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Fetches one file over HTTP(S) and keeps it only if its MD5 is the expected one.
 *
 * <p>The body streams into a temporary file in the target's own folder (so the final rename is
 * atomic and never crosses file systems), the MD5 is computed on the way, and only a verified file
 * is renamed to its final name: a crash or a bad download never leaves a file under the final name.
 */
public final class Downloader {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Time allowed until the response headers arrive (the body may take longer). */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final int PROGRESS_STEPS = 10;

    /** Largest file taken: the four pinned files are at most 26.4 MB. */
    static final long MAX_BYTES = 64L << 20;
    /** A body that sends nothing for this long is abandoned. */
    static final Duration STALL = Duration.ofSeconds(60);

    private final PrintStream log;
    private final long maxBytes;
    private final Duration stall;

    /** A downloader that reports progress on {@code log} (System.err for the command line). */
    public Downloader(PrintStream log) {
        this(log, MAX_BYTES, STALL);
    }

    /** As above, with a size cap and a stall timeout of its own (tests). */
    Downloader(PrintStream log, long maxBytes, Duration stall) {
        this.log = log;
        this.maxBytes = maxBytes;
        this.stall = stall;
    }

    public Downloader() {
        this(System.err);
    }

    /**
     * Downloads {@code url} to {@code target}, following redirects.
     *
     * @param expectedMd5 lower- or upper-case hex MD5 of the file's bytes
     * @return {@code target}
     * @throws DataException on a status other than 200, a network error, a short body, or an MD5
     *                       mismatch (the message names the URL and expected and actual MD5);
     *                       no temporary file is left behind
     */
    public Path download(URI url, Path target, String expectedMd5) {
        Path dir = target.toAbsolutePath().getParent();
        String name = target.getFileName().toString();
        Path tmp = null;
        try (HttpClient client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build()) {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).GET().build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new DataException("download " + url + ": HTTP status " + response.statusCode()
                            + " (expected 200)");
                }
                long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (total > maxBytes) {
                    throw new DataException("download " + url + ": the server announces " + total + " bytes, more than the "
                            + maxBytes + " any Fashion-MNIST file has");
                }
                Files.createDirectories(dir);
                removeStaleParts(dir, name);
                tmp = Files.createTempFile(dir, name + ".", ".part");
                MessageDigest md5 = MessageDigest.getInstance("MD5");
                long done;
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    done = copy(body, out, md5, name, total, url);
                }
                if (total >= 0 && done != total) {
                    throw new DataException("download " + url + ": connection closed after " + done + " of "
                            + total + " bytes");
                }
                String actual = HexFormat.of().formatHex(md5.digest());
                if (!actual.equalsIgnoreCase(expectedMd5)) {
                    throw new DataException("download " + url + ": MD5 mismatch: expected "
                            + expectedMd5.toLowerCase(Locale.ROOT) + ", got " + actual + " (" + done + " bytes)");
                }
                moveAtomically(tmp, target);
                tmp = null;
                return target;
            }
        } catch (IOException e) {
            throw new DataException("download " + url + ": " + DataException.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("download " + url + ": interrupted", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides MD5", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the download already failed; that error is the one to report
                }
            }
        }
    }

    /**
     * Copies {@code in} to {@code out}, feeding {@code md5}; prints a line per tenth of {@code total}. Stops at
     * maxBytes, and when nothing arrives for the stall time (a watchdog closes the stream under the blocked read).
     */
    private long copy(InputStream in, OutputStream out, MessageDigest md5, String name, long total, URI url)
            throws IOException {
        byte[] buf = new byte[1 << 16];
        long[] lastByte = {System.nanoTime()};
        boolean[] stalled = {false};
        var watchdog = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "d2l4j-download-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastByte[0] > stall.toNanos()) {
                stalled[0] = true;
                try {
                    in.close();
                } catch (IOException ignored) {
                    // closing is how the blocked read is ended
                }
            }
        }, 100, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
        long done = 0;
        int step = 0;
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                lastByte[0] = System.nanoTime();
                if (done + n > maxBytes) {
                    throw new DataException("download " + url + ": the body passed " + maxBytes + " bytes, more than any "
                            + "Fashion-MNIST file has; abandoned");
                }
                out.write(buf, 0, n);
                md5.update(buf, 0, n);
                done += n;
                if (total > 0) {
                    int now = (int) (done * PROGRESS_STEPS / total);
                    if (now > step && now < PROGRESS_STEPS) {
                        step = now;
                        log.println("  " + name + ": " + megabytes(done) + " / " + megabytes(total) + " MB");
                    }
                }
            }
        } catch (IOException e) {
            if (stalled[0]) {
                throw new DataException("download " + url + ": no data for " + stall.toSeconds() + " s after " + done
                        + " bytes; abandoned");
            }
            throw e;
        } finally {
            watchdog.shutdownNow();
        }
        if (stalled[0]) throw new DataException("download " + url + ": no data for " + stall.toSeconds() + " s after " + done + " bytes; abandoned");
        log.println("  " + name + ": " + megabytes(done) + " / " + (total >= 0 ? megabytes(total) : "?") + " MB done");
        return done;
    }

    // .part files of this name left by a download that was killed (more than 10 minutes old: not one running now)
    private static void removeStaleParts(Path dir, String name) {
        try (var parts = Files.newDirectoryStream(dir, name + ".*.part")) {
            long old = System.currentTimeMillis() - 10 * 60_000L;
            for (Path p : parts) {
                if (Files.getLastModifiedTime(p).toMillis() < old) Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: a leftover is named .part and harmless
        }
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
