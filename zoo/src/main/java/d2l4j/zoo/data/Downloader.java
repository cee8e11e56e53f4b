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

    private final PrintStream log;

    /** A downloader that reports progress on {@code log} (System.err for the command line). */
    public Downloader(PrintStream log) {
        this.log = log;
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
                Files.createDirectories(dir);
                tmp = Files.createTempFile(dir, name + ".", ".part");
                MessageDigest md5 = MessageDigest.getInstance("MD5");
                long done;
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    done = copy(body, out, md5, name, total);
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

    /** Copies {@code in} to {@code out}, feeding {@code md5}; prints a line per tenth of {@code total}. */
    private long copy(InputStream in, OutputStream out, MessageDigest md5, String name, long total)
            throws IOException {
        byte[] buf = new byte[1 << 16];
        long done = 0;
        int step = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
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
        log.println("  " + name + ": " + megabytes(done) + " / " + (total >= 0 ? megabytes(total) : "?") + " MB done");
        return done;
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
