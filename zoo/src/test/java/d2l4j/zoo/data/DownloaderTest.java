package d2l4j.zoo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void anEndlessBodyIsCutAtTheCapAndAStalledOneAfterItsTimeout() throws Exception {
        Downloader small = new Downloader(new PrintStream(logBytes, true), 4L << 20, java.time.Duration.ofSeconds(2));
        Path target = dir.resolve(FashionMnist.TEST_IMAGES);
        DataException e = assertThrows(DataException.class, () -> small.download(URI.create(server.url("/endless")), target, "00"));
        assertTrue(e.getMessage().contains("the body passed 4194304 bytes"), e.getMessage());
        assertEquals(List.of(), list(dir), "no .part left");
        long t0 = System.nanoTime();
        e = assertThrows(DataException.class, () -> small.download(URI.create(server.url("/stall")), target, "00"));
        assertTrue(e.getMessage().contains("no data for 2 s after 10 bytes"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 15_000_000_000L, "abandoned in time");
        assertEquals(List.of(), list(dir), "no .part left");
        // a .part of a killed download, older than 10 minutes, is removed by the next download of that file
        Path stale = dir.resolve(FashionMnist.TEST_IMAGES + ".123.part");
        Files.write(stale, new byte[] {1});
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000L));
        assertThrows(DataException.class, () -> small.download(URI.create(server.url("/endless")), target, "00"));
        assertFalse(Files.exists(stale));
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
