package d2l4j.zoo.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads one gzip-compressed IDX file (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"):
 * a big-endian int32 magic number, one big-endian int32 per dimension, then the unsigned bytes.
 *
 * <p>It counts the bytes of the <em>uncompressed</em> stream it has consumed, so every error names
 * the file and the offset where reading went wrong. Package-private: {@link FashionMnist} is the API.
 */
final class IdxReader implements AutoCloseable {

    private static final int GZIP_MAGIC_1 = 0x1f, GZIP_MAGIC_2 = 0x8b;

    private final String name;
    private final InputStream in;
    private long offset;

    private IdxReader(String name, InputStream in) {
        this.name = name;
        this.in = in;
    }

    /** Opens {@code file}, checking the gzip magic first so "not gzip" gets its own message. */
    static IdxReader open(Path file) {
        String name = file.getFileName().toString();
        InputStream raw = null;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            if (b0 != GZIP_MAGIC_1 || b1 != GZIP_MAGIC_2) {
                throw new DataException(name + ": not a gzip file: expected magic bytes 1f 8b at file offset 0, found "
                        + hexOrEof(b0) + " " + hexOrEof(b1) + " (file size " + Files.size(file) + " bytes)");
            }
            return new IdxReader(name, new GZIPInputStream(raw, 1 << 16));
        } catch (NoSuchFileException e) {
            closeQuietly(raw);
            throw new DataException(name + ": no such file: " + file, e);
        } catch (EOFException e) {
            closeQuietly(raw);
            throw new DataException(name + ": not a valid gzip file: the gzip header is cut off (file size "
                    + sizeOrUnknown(file) + " bytes)", e);
        } catch (IOException e) {
            closeQuietly(raw);
            throw new DataException(name + ": not a valid gzip file: " + DataException.describe(e), e);
        } catch (RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    String name() {
        return name;
    }

    long offset() {
        return offset;
    }

    /** Reads a big-endian int32; {@code what} names it in errors ("magic number", "image count"). */
    int readInt(String what, long expectedTotal) {
        byte[] b = new byte[4];
        readFully(b, what, expectedTotal);
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    /**
     * Fills {@code dst} from the uncompressed stream.
     *
     * @param what          what is being read, for the error message
     * @param expectedTotal the uncompressed size this file should have, or -1 while it is unknown
     */
    void readFully(byte[] dst, String what, long expectedTotal) {
        readRange(dst, 0, dst.length, what, expectedTotal);
    }

    /**
     * Reads {@code count} bytes into a new array that grows as the data arrives (from 1 MiB, doubling),
     * so a corrupt count in a header ("2 billion labels") costs an error at the real end of the data,
     * not a 2 GB allocation up front.
     */
    byte[] readBytes(int count, String what, long expectedTotal) {
        byte[] out = new byte[Math.min(count, 1 << 20)];
        int done = 0;
        while (done < count) {
            if (done == out.length) out = java.util.Arrays.copyOf(out, (int) Math.min(count, 2L * out.length));
            readRange(out, done, out.length, what, expectedTotal);
            done = out.length;
        }
        return out;
    }

    private void readRange(byte[] dst, int from, int to, String what, long expectedTotal) {
        int done = from;
        try {
            while (done < to) {
                int n = in.read(dst, done, to - done);
                if (n < 0) {
                    throw new DataException(name + ": data ends at byte offset " + offset + " while reading the "
                            + what + ": expected " + sizeText(expectedTotal, offset - done + to)
                            + ", found " + offset + " bytes");
                }
                done += n;
                offset += n;
            }
        } catch (EOFException e) {
            throw new DataException(name + ": compressed data ends early (truncated gzip file?) at byte offset "
                    + offset + " of the uncompressed data while reading the " + what + ": expected "
                    + sizeText(expectedTotal, offset - done + to) + ", found " + offset + " bytes", e);
        } catch (IOException e) {
            throw new DataException(name + ": corrupt gzip data at byte offset " + offset
                    + " of the uncompressed data while reading the " + what + ": " + DataException.describe(e), e);
        }
    }

    /**
     * Checks that nothing follows the data. Reading to the end also makes GZIPInputStream check the
     * gzip trailer (CRC-32 and length), so a flipped bit anywhere in the payload is caught here.
     */
    void expectEnd() {
        try {
            int b = in.read();
            if (b >= 0) {
                throw new DataException(name + ": unexpected data after byte offset " + offset
                        + ": expected end of file after " + offset + " bytes");
            }
        } catch (EOFException e) {
            throw new DataException(name + ": truncated gzip file: the data is complete (" + offset
                    + " bytes) but the gzip trailer (CRC-32 and size) is cut off", e);
        } catch (IOException e) {
            throw new DataException(name + ": corrupt gzip data at the end of the file (after byte offset "
                    + offset + " of the uncompressed data): the gzip trailer (CRC-32 and size) does not match"
                    + " the data: " + DataException.describe(e), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(in);
    }

    private static String sizeOrUnknown(Path file) {
        try {
            return Long.toString(Files.size(file));
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String sizeText(long expectedTotal, long atLeast) {
        return expectedTotal >= 0 ? expectedTotal + " bytes" : "at least " + atLeast + " bytes";
    }

    private static String hexOrEof(int b) {
        return b < 0 ? "EOF" : String.format("%02x", b);
    }

    private static void closeQuietly(InputStream s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException ignored) {
            // reading is over; a failing close has nothing left to lose
        }
    }
}
