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
