package d2l4j.zoo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import d2l4j.layers.StateDict;
import d2l4j.zoo.LeNet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code d2l4j serve} as a process: it prints where it listens (port 0: a free one), and SIGTERM while a request is
 * in flight (held 1.5 s by the batch window) lets that request finish with its answer before the process ends.
 */
class ServeProcessTest {
    @TempDir
    Path dir;

    @Test
    void sigtermFinishesTheRequestInFlight() throws Exception {
        Path weights = dir.resolve("lenet.safetensors");
        StateDict.save(LeNet.create(2), weights);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), "d2l4j.zoo.Main", "serve", "--net", "lenet", "--weights", weights.toString(),
                "--port", "0", "--batch-window", "1500", "--threads", "2")).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String url = null;
            for (String line; url == null && (line = out.readLine()) != null; ) {
                Matcher m = Pattern.compile("serving lenet on (http://127\\.0\\.0\\.1:\\d+)").matcher(line);
                if (m.find()) url = m.group(1);
            }
            StringBuffer rest = new StringBuffer(); // the rest of the output, read as it comes (destroy() closes the pipe)
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) rest.append(line).append('\n');
                } catch (java.io.IOException closed) {
                    // the pipe closed
                }
            });
            assertTrue(url != null, "no 'serving' line");
            StringBuilder pixels = new StringBuilder("[");
            for (int i = 0; i < 784; i++) pixels.append(i == 0 ? "" : ",").append((i % 7) / 7.0);
            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(URI.create(url + "/predict"))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(pixels.append(']').toString())).build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(500); // the request waits in the batch window
            p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            HttpResponse<String> r = answer.get(20, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().startsWith("{\"net\":\"lenet\",\"top\":["), r.body());
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the server did not stop");
            reader.join(5000);
            assertTrue(rest.toString().contains("stopping: finishing the requests in flight"), rest.toString());
        } finally {
            p.destroyForcibly();
        }
    }
}
