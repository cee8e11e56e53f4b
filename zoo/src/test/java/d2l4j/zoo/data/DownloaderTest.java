package d2l4j.zoo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads the real files from a real HTTP server on loopback. */
class DownloaderTest {

    private static LoopbackServer server;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final Downloader downloader = new Downloader(new PrintStream(logBytes, true));

    @BeforeAll
    static void start() {
        RealData.assumeInstalled();
        server = new LoopbackServer(RealData.DIR);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void downloadsAndVerifies() throws IOException {
        Path real = RealData.DIR.resolve(FashionMnist.TEST_IMAGES);
        Path target = dir.resolve(FashionMnist.TEST_IMAGES);
        Path got = downloader.download(URI.create(server.url("/fm/" + FashionMnist.TEST_IMAGES)), target,
                RealData.md5(real).toUpperCase());
        assertEquals(target, got);
        assertArrayEquals(Files.readAllBytes(real), Files.readAllBytes(target));
        assertEquals(List.of(target), list(dir));
        String log = logBytes.toString();
        assertTrue(log.contains(FashionMnist.TEST_IMAGES + ": 4.4 / 4.4 MB done"), log);
        assertTrue(log.contains(" / 4.4 MB\n"), log); // an intermediate progress line
    }

    @Test
    void followsRedirects() throws IOException {
        Path real = RealData.DIR.resolve(FashionMnist.TEST_LABELS);
        Path target = dir.resolve(FashionMnist.TEST_LABELS);
        downloader.download(URI.create(server.url("/moved/" + FashionMnist.TEST_LABELS)), target, RealData.md5(real));
        assertArrayEquals(Files.readAllBytes(real), Files.readAllBytes(target));
    }

    @Test
    void wrongMd5LeavesNothing() throws IOException {
        Path real = RealData.DIR.resolve(FashionMnist.TRAIN_LABELS);
        String url = server.url("/fm/" + FashionMnist.TRAIN_LABELS);
        String wrong = "0123456789abcdef0123456789abcdef";
        DataException e = assertThrows(DataException.class,
                () -> downloader.download(URI.create(url), dir.resolve(FashionMnist.TRAIN_LABELS), wrong));
        assertEquals("download " + url + ": MD5 mismatch: expected " + wrong + ", got " + RealData.md5(real)
                + " (29491 bytes)", e.getMessage());
        assertEquals(List.of(), list(dir));
    }

    @Test
    void notFoundNamesStatus() throws IOException {
        String url = server.url("/fm/no-such-file.gz");
        DataException e = assertThrows(DataException.class,
                () -> downloader.download(URI.create(url), dir.resolve("x.gz"), "00"));
        assertEquals("download " + url + ": HTTP status 404 (expected 200)", e.getMessage());
        assertEquals(List.of(), list(dir));
    }

    @Test
    void connectionRefused() throws IOException {
        String url;
        try (LoopbackServer gone = new LoopbackServer(dir)) {
            url = gone.url("/fm/x.gz");
        }
        String u = url;
        DataException e = assertThrows(DataException.class,
                () -> downloader.download(URI.create(u), dir.resolve("x.gz"), "00"));
        assertTrue(e.getMessage().startsWith("download " + url + ": "), e.getMessage());
        assertEquals(List.of(), list(dir));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
