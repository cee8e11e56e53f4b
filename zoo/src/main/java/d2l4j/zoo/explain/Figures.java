package d2l4j.zoo.explain;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The report's pictures, drawn pixel by pixel (no plotting library): grids of small maps, each pixel of a map
 * a square of {@code scale}×{@code scale} screen pixels, tiles one pixel apart on a light gray background.
 *
 * <pre>
 * feature maps   gray, each channel min-max scaled on its own (black = its minimum, white = its maximum)
 * filters        diverging: blue negative, white 0, red positive, one scale ±max|w| for all the filters shown
 * saliency, CAM  the image in gray under a heat map (transparent at 0, opaque yellow-red at the map's maximum)
 * </pre>
 */
public final class Figures {
    private Figures() {}

    private static final int GAP = 1, BACKGROUND = 0xDDDDDD;

    /** How a value becomes a color: given the value and the tile's (or figure's) range. */
    public interface ColorMap {
        int rgb(float v, float min, float max);
    }

    /** Gray from min (black) to max (white); a constant map is mid-gray. */
    public static final ColorMap GRAY = (v, min, max) -> {
        int g = max > min ? Math.round(255 * (v - min) / (max - min)) : 128;
        return g << 16 | g << 8 | g;
    };

    /** Blue (−max|v|), white (0), red (+max|v|); min and max are −m and m. */
    public static final ColorMap DIVERGING = (v, min, max) -> {
        float t = max > 0 ? Math.max(-1f, Math.min(1f, v / max)) : 0f;
        int fade = Math.round(255 * (1 - Math.abs(t)));
        return t >= 0 ? 255 << 16 | fade << 8 | fade : fade << 16 | fade << 8 | 255;
    };

    /**
     * Tiles (each h×w, row-major) in a grid of {@code cols} columns. {@code perTile}: each tile scaled to its own
     * range; else all to one range, symmetric (±max|v|) for the diverging map.
     */
    public static BufferedImage grid(List<float[]> tiles, int h, int w, int cols, int scale, ColorMap map, boolean perTile) {
        float gMin = Float.POSITIVE_INFINITY, gMax = Float.NEGATIVE_INFINITY;
        for (float[] t : tiles) for (float v : t) { gMin = Math.min(gMin, v); gMax = Math.max(gMax, v); }
        if (map == DIVERGING) { gMax = Math.max(Math.abs(gMin), Math.abs(gMax)); gMin = -gMax; }
        return draw(tiles, h, w, cols, scale, map, perTile ? null : new float[] {gMin, gMax});
    }

    /** A grid on a fixed, shared range [min, max] (filters before and after training on one scale). */
    public static BufferedImage grid(List<float[]> tiles, int h, int w, int cols, int scale, ColorMap map, float min, float max) {
        return draw(tiles, h, w, cols, scale, map, new float[] {min, max});
    }

    // range null: each tile on its own min..max
    private static BufferedImage draw(List<float[]> tiles, int h, int w, int cols, int scale, ColorMap map, float[] range) {
        int n = tiles.size();
        cols = Math.min(cols, Math.max(1, n));
        int rows = (n + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * (w * scale + GAP) + GAP, Math.max(1, rows) * (h * scale + GAP) + GAP,
                BufferedImage.TYPE_INT_RGB);
        fill(img, BACKGROUND);
        for (int i = 0; i < n; i++) {
            float[] t = tiles.get(i);
            float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
            if (range != null) { min = range[0]; max = range[1]; }
            else for (float v : t) { min = Math.min(min, v); max = Math.max(max, v); }
            int x0 = GAP + (i % cols) * (w * scale + GAP), y0 = GAP + (i / cols) * (h * scale + GAP);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) square(img, x0 + x * scale, y0 + y * scale, scale, map.rgb(t[y * w + x], min, max));
            }
        }
        return img;
    }

    /**
     * The image (side×side gray in [0, 1]) with {@code heat} (side×side, ≥ 0; null for the image alone) over it:
     * heat / max(heat) as alpha of a yellow-to-red ramp.
     */
    public static BufferedImage overlay(float[] image, float[] heat, int side, int scale) {
        BufferedImage img = new BufferedImage(side * scale, side * scale, BufferedImage.TYPE_INT_RGB);
        float max = 0;
        if (heat != null) for (float v : heat) max = Math.max(max, v);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                float g = Math.max(0f, Math.min(1f, image[y * side + x])) * 255;
                float r = g, gr = g, b = g;
                if (heat != null && max > 0) {
                    float a = heat[y * side + x] / max; // 0..1
                    float hr = 255, hg = 255 * (1 - a), hb = 0; // yellow at low, red at high
                    float alpha = 0.75f * a;
                    r = (1 - alpha) * g + alpha * hr;
                    gr = (1 - alpha) * g + alpha * hg;
                    b = (1 - alpha) * g + alpha * hb;
                }
                square(img, x * scale, y * scale, scale, Math.round(r) << 16 | Math.round(gr) << 8 | Math.round(b));
            }
        }
        return img;
    }

    /** The PNG file's bytes. */
    public static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "png", out)) throw new IllegalStateException("no PNG writer in this Java runtime");
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image inline in a page: {@code data:image/png;base64,...}. */
    public static String dataUri(BufferedImage img) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(img));
    }

    private static void fill(BufferedImage img, int rgb) {
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, rgb);
    }

    private static void square(BufferedImage img, int x0, int y0, int scale, int rgb) {
        for (int y = y0; y < y0 + scale; y++) for (int x = x0; x < x0 + scale; x++) img.setRGB(x, y, rgb);
    }
}
