package d2l4j.zoo.data;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on 127.0.0.1, ephemeral port. {@code /fm/NAME} serves NAME from a folder,
 * {@code /moved/NAME} answers 302 to {@code /fm/NAME}, anything else is 404.
 */
final class LoopbackServer implements AutoCloseable {

    private final HttpServer server;
    private final Path folder;
    final List<String> requests = new CopyOnWriteArrayList<>();

    LoopbackServer(Path folder) {
        this.folder = folder;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** e.g. http://127.0.0.1:40123/fm/ */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(path);
        try (ex) {
            if (path.equals("/endless")) { // no Content-Length, bytes until the client goes away
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody()) {
                    byte[] chunk = new byte[1 << 16];
                    while (true) out.write(chunk);
                } catch (IOException gone) {
                    return;
                }
            }
            if (path.equals("/stall")) { // headers and a few bytes, then nothing
                ex.sendResponseHeaders(200, 1000);
                OutputStream out = ex.getResponseBody();
                out.write(new byte[10]);
                out.flush();
                try {
                    Thread.sleep(5_000); // longer than the test's 2 s stall timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            if (path.startsWith("/moved/")) {
                ex.getResponseHeaders().add("Location", "/fm/" + path.substring("/moved/".length()));
                ex.sendResponseHeaders(302, -1);
                return;
            }
            Path file = path.startsWith("/fm/") ? folder.resolve(path.substring("/fm/".length())) : null;
            if (file == null || path.contains("..") || !Files.isRegularFile(file)) {
                byte[] body = "not found".getBytes();
                ex.sendResponseHeaders(404, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
                return;
            }
            ex.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = ex.getResponseBody()) {
                Files.copy(file, out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
