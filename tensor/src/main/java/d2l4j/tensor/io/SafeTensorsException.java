package d2l4j.tensor.io;

import java.nio.file.Path;

/** A safetensors file that cannot be read or written; the message names the file and the problem. */
public class SafeTensorsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SafeTensorsException(Path file, String problem) {
        super(Json.printable(String.valueOf(file)) + ": " + problem);
    }

    public SafeTensorsException(Path file, String problem, Throwable cause) {
        super(Json.printable(String.valueOf(file)) + ": " + problem, cause);
    }
}
