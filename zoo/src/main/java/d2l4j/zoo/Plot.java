package d2l4j.zoo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * d2l's training plot (its Animator in train_ch6): train loss, train accuracy and test accuracy per
 * epoch on one set of axes, x = epoch, y from 0 to max(1, largest loss), written as a PNG with the JDK's
 * own imaging (headless, no dependencies).
 */
public final class Plot {
    private static final int W = 640, H = 440, LEFT = 60, RIGHT = 20, TOP = 40, BOTTOM = 50;
    private static final Color[] COLORS = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44)};
    private static final String[] LABELS = {"train loss", "train acc", "test acc"};

    private Plot() {}

    static void write(Path file, String title, List<Training.EpochStats> epochs) {
        BufferedImage img = render(title, epochs);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The plot as an image (for the report page). */
    public static BufferedImage render(String title, List<Training.EpochStats> epochs) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        int n = epochs.size();
        double yMax = 1;
        for (var e : epochs) yMax = Math.max(yMax, e.trainLoss());
        yMax = Math.ceil(yMax * 10) / 10;
        double xMin = 1, xMax = Math.max(2, n);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(230, 230, 230));
        for (int i = 0; i <= 10; i++) {
            int y = py(yMax * i / 10, yMax);
            g.drawLine(LEFT, y, W - RIGHT, y);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
        for (int i = 0; i <= 5; i++) {
            double v = yMax * i / 5;
            g.drawString(String.format("%.1f", v), LEFT - 35, py(v, yMax) + 4);
        }
        for (int e = 1; e <= xMax; e++) {
            int x = px(e, xMin, xMax);
            g.drawLine(x, H - BOTTOM, x, H - BOTTOM + 4);
            g.drawString(Integer.toString(e), x - 4, H - BOTTOM + 18);
        }
        g.drawString("epoch", W / 2 - 15, H - 12);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, TOP - 14);

        g.setStroke(new BasicStroke(2f));
        for (int s = 0; s < 3; s++) {
            g.setColor(COLORS[s]);
            int prevX = -1, prevY = -1;
            for (var e : epochs) {
                double v = s == 0 ? e.trainLoss() : s == 1 ? e.trainAcc() : e.testAcc();
                int x = px(e.epoch(), xMin, xMax), y = py(v, yMax);
                g.fillOval(x - 3, y - 3, 6, 6);
                if (prevX >= 0) g.drawLine(prevX, prevY, x, y);
                prevX = x;
                prevY = y;
            }
            g.drawLine(W - RIGHT - 130, TOP + 18 + 18 * s, W - RIGHT - 105, TOP + 18 + 18 * s);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(LABELS[s], W - RIGHT - 98, TOP + 22 + 18 * s);
        }
        g.dispose();
        return img;
    }

    private static int px(double epoch, double min, double max) {
        return LEFT + (int) Math.round((epoch - min) / (max - min) * (W - LEFT - RIGHT - 20) + 10);
    }

    private static int py(double v, double yMax) {
        return H - BOTTOM - (int) Math.round(v / yMax * (H - TOP - BOTTOM));
    }
}
