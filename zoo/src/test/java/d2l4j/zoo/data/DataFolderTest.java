package d2l4j.zoo.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolution order with temp folders, and downloading through a real loopback HTTP server. */
class DataFolderTest {

    @TempDir
    Path tmp;

    private Path explicit, fromEnv, home, cache, system1, system2;
    private final Map<String, String> env = new HashMap<>();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

    @BeforeEach
    void folders() throws IOException {
        explicit = Files.createDirectory(tmp.resolve("explicit"));
        fromEnv = Files.createDirectory(tmp.resolve("env"));
        home = Files.createDirectory(tmp.resolve("home"));
        cache = home.resolve(".cache/d2l4j/fashion-mnist");
        system1 = tmp.resolve("system1");
        system2 = Files.createDirectory(tmp.resolve("system2"));
    }

    /** No server listens on the port of a closed server: downloads fail fast. */
    private String deadUrl() {
        try (LoopbackServer s = new LoopbackServer(tmp)) {
            return s.url("/fm/");
        }
    }

    private DataFolder folder(String baseUrl, Map<String, String> md5) {
        return new DataFolder(env::get, home, List.of(system1, system2), baseUrl, md5,
                new PrintStream(logBytes, true));
    }

    private DataFolder folder() {
        return folder(deadUrl(), DataFolder.OFFICIAL_MD5);
    }

    private String log() {
        return logBytes.toString();
    }

    @Test
    void explicitWins() throws IOException {
        fill(explicit, fromEnv, cache, system2);
        env.put(DataFolder.ENV_DATA, fromEnv.toString());
        assertEquals(explicit, folder().find(explicit));
        assertEquals("d2l4j: Fashion-MNIST from " + explicit + " (given with --data)\n", log());
    }

    @Test
    void envBeatsCacheAndSystem() throws IOException {
        fill(fromEnv, cache, system2);
        env.put(DataFolder.ENV_DATA, fromEnv.toString());
        assertEquals(fromEnv, folder().find(null));
        assertEquals("d2l4j: Fashion-MNIST from " + fromEnv + " (from D2L4J_DATA)\n", log());
    }

    @Test
    void incompleteExplicitIsAnError() throws IOException {
        fill(cache);
        Files.createFile(explicit.resolve(FashionMnist.TRAIN_IMAGES));
        DataException e = assertThrows(DataException.class, () -> folder().find(explicit));
        assertEquals("--data " + explicit + ": missing train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
                + "t10k-labels-idx1-ubyte.gz; a folder given with --data is used or refused, never replaced by another: "
                + "fix it, or leave --data out to search the usual places", e.getMessage());
        DataException gone = assertThrows(DataException.class, () -> folder().find(tmp.resolve("no-such-folder")));
        assertTrue(gone.getMessage().startsWith("--data " + tmp.resolve("no-such-folder") + ": does not exist;"), gone.getMessage());
    }

    @Test
    void cacheBeatsSystem() throws IOException {
        fill(cache, system2);
        assertEquals(cache, folder().find(null));
    }

    @Test
    void systemFoldersInOrder() throws IOException {
        fill(system2);
        assertEquals(system2, folder().find(null));
        assertEquals("d2l4j: Fashion-MNIST from " + system2 + " (installed by a system package)\n", log());
        fill(system1);
        assertEquals(system1, folder().find(null));
    }

    @Test
    void staticResolveTakesExplicit() {
        RealData.assumeInstalled();
        Path p = DataFolder.resolve(RealData.DIR);
        assertEquals(RealData.DIR, p);
    }

    @Test
    void everythingFailsListsEveryOption() throws IOException {
        env.put(DataFolder.ENV_DATA, tmp.resolve("nowhere").toString());
        fill(system2);
        Files.delete(system2.resolve(FashionMnist.TRAIN_LABELS));
        String url = deadUrl();
        DataException e = assertThrows(DataException.class, () -> folder(url, DataFolder.OFFICIAL_MD5).find(null));
        String m = e.getMessage();
        String[] lines = m.split("\n");
        assertEquals("Fashion-MNIST not found. Tried, in order:", lines[0]);
        assertEquals("  --data: not given", lines[1]);
        assertEquals("  D2L4J_DATA=" + tmp.resolve("nowhere") + ": does not exist", lines[2]);
        assertEquals("  cache " + cache + ": does not exist", lines[3]);
        assertEquals("  system folder " + system1 + ": does not exist", lines[4]);
        assertEquals("  system folder " + system2 + ": missing train-labels-idx1-ubyte.gz", lines[5]);
        assertTrue(lines[6].startsWith("  download from " + url + " into " + cache + ": download " + url
                + FashionMnist.TRAIN_IMAGES + ": "), lines[6]);
        assertTrue(lines[lines.length - 1].contains("apt-get install dataset-fashion-mnist"), m);
        assertTrue(log().contains("downloading from " + url), log());
    }

    @Test
    void notSetAndNotGiven() {
        DataException e = assertThrows(DataException.class, () -> folder().find(null));
        assertTrue(e.getMessage().contains("\n  --data: not given\n  D2L4J_DATA: not set\n"), e.getMessage());
    }

    @Test
    void http404IsReported() {
        RealData.assumeInstalled();
        try (LoopbackServer server = new LoopbackServer(RealData.DIR)) {
            String url = server.url("/missing/");
            DataException e = assertThrows(DataException.class,
                    () -> folder(url, DataFolder.OFFICIAL_MD5).find(null));
            assertTrue(e.getMessage().contains("download " + url + FashionMnist.TRAIN_IMAGES
                    + ": HTTP status 404 (expected 200)"), e.getMessage());
        }
    }

    /** Only the labels are missing from the cache: only they are fetched; D2L4J_DATA_URL overrides. */
    @Test
    void downloadsOnlyWhatTheCacheLacks() throws IOException {
        RealData.assumeInstalled();
        Files.createDirectories(cache);
        for (String f : List.of(FashionMnist.TRAIN_IMAGES, FashionMnist.TEST_IMAGES)) {
            Files.copy(RealData.DIR.resolve(f), cache.resolve(f));
        }
        try (LoopbackServer server = new LoopbackServer(RealData.DIR)) {
            env.put(DataFolder.ENV_URL, server.url("/fm"));
            DataFolder df = folder("http://invalid.example/", realMd5());
            assertEquals(server.url("/fm/"), df.baseUrl());
            assertEquals(cache, df.find(null));
            assertEquals(List.of("/fm/" + FashionMnist.TRAIN_LABELS, "/fm/" + FashionMnist.TEST_LABELS),
                    server.requests);
        }
        assertEquals(10000, FashionMnist.load(cache, false).size());
        assertTrue(log().contains("(downloaded from "), log());
    }

    @Test
    void downloadAllFourVerified() throws IOException {
        RealData.assumeInstalled();
        try (LoopbackServer server = new LoopbackServer(RealData.DIR)) {
            Map<String, String> md5 = realMd5();
            assertEquals(cache, folder(server.url("/fm/"), md5).find(null));
            for (String f : FashionMnist.FILE_NAMES) assertEquals(md5.get(f), RealData.md5(cache.resolve(f)));
            try (Stream<Path> s = Files.list(cache)) {
                assertEquals(4, s.count()); // no .part files left
            }
        }
        assertEquals(10000, FashionMnist.load(cache, false).size());
    }

    @Test
    void wrongMd5DuringResolveLeavesNoFile() throws IOException {
        RealData.assumeInstalled();
        try (LoopbackServer server = new LoopbackServer(RealData.DIR)) {
            // the official MD5s: Debian recompressed its files, so none of them match
            String url = server.url("/fm/");
            DataException e = assertThrows(DataException.class,
                    () -> folder(url, DataFolder.OFFICIAL_MD5).find(null));
            assertTrue(e.getMessage().contains("MD5 mismatch: expected 8d4fb7e6c68d591d4c3dfef9ec88bf0d, got "
                    + RealData.md5(RealData.DIR.resolve(FashionMnist.TRAIN_IMAGES))), e.getMessage());
            try (Stream<Path> s = Files.list(cache)) {
                assertEquals(0, s.count());
            }
        }
        assertFalse(Files.exists(cache.resolve(FashionMnist.TRAIN_IMAGES)));
    }

    private static Map<String, String> realMd5() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : FashionMnist.FILE_NAMES) m.put(f, RealData.md5(RealData.DIR.resolve(f)));
        return m;
    }

    private static void fill(Path... dirs) throws IOException {
        for (Path d : dirs) {
            Files.createDirectories(d);
            for (String f : FashionMnist.FILE_NAMES) {
                if (!Files.exists(d.resolve(f))) Files.createFile(d.resolve(f));
            }
        }
    }
}
