package d2l4j.zoo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Hostile pictures for the tests of the zoo's readers. */
public final class TestImages {
    private TestImages() {}

    /** A PNG signature and IHDR chunk (valid CRC) for a width × height 8-bit gray image, and no pixel data: 33 bytes. */
    public static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}).putInt(13)
                .put(ihdr.array()).putInt((int) crc.getValue()).array();
    }
}
