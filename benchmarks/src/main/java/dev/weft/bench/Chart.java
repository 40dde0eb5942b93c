package dev.weft.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Draws W1's throughput against concurrency (median of the rounds) as a PNG, headless, with java.awt. */
final class Chart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final int LEFT = 90;
    private static final int RIGHT = 260;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)};

    private Chart() {
    }

    static void throughput(List<Trial> trials, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, Map<Integer, Double>> lines = new LinkedHashMap<>();
        Double probe = null;
        for (List<Trial> group : Summary.byKey(trials).values()) {
            Trial first = group.getFirst();
            Summary median = Summary.of(group, "throughput");
            if (median == null) {
                continue;
            }
            if (first.workload().equals("W1")) {
                lines.computeIfAbsent(first.database() + " " + first.system(), k -> new LinkedHashMap<>())
                        .put(first.concurrency(), median.median());
            } else if (first.workload().equals("W6") && first.system().equals("group-commit probe")) {
                probe = median.median();
            }
        }
        double top = probe == null ? 0 : probe;
        for (Map<Integer, Double> line : lines.values()) {
            for (double value : line.values()) {
                top = Math.max(top, value);
            }
        }
        top = niceCeiling(top);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("W1: three-step workflows per second against concurrency (median of rounds)", LEFT, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        List<Integer> xs = List.of(1, 16, 64);
        for (int i = 0; i <= 5; i++) {
            int y = TOP + plotHeight - plotHeight * i / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, LEFT + plotWidth, y);
            g.setColor(Color.BLACK);
            String label = Benchmarks.number(top * i / 5);
            g.drawString(label, LEFT - 10 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        for (int i = 0; i < xs.size(); i++) {
            int x = xOf(i, xs.size(), plotWidth);
            g.drawString("concurrency " + xs.get(i), x - 40, TOP + plotHeight + 22);
        }
        g.drawRect(LEFT, TOP, plotWidth, plotHeight);
        int legend = TOP + 10;
        int colour = 0;
        for (Map.Entry<String, Map<Integer, Double>> line : lines.entrySet()) {
            Color color = COLORS[colour++ % COLORS.length];
            boolean raw = line.getKey().endsWith(" R");
            g.setColor(color);
            g.setStroke(raw ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f)
                    : new BasicStroke(3f));
            List<int[]> points = new ArrayList<>();
            for (int i = 0; i < xs.size(); i++) {
                Double value = line.getValue().get(xs.get(i));
                if (value != null) {
                    points.add(new int[] {xOf(i, xs.size(), plotWidth), TOP + plotHeight - (int) (plotHeight * value / top)});
                }
            }
            for (int i = 1; i < points.size(); i++) {
                g.drawLine(points.get(i - 1)[0], points.get(i - 1)[1], points.get(i)[0], points.get(i)[1]);
            }
            for (int[] p : points) {
                g.fillOval(p[0] - 4, p[1] - 4, 8, 8);
            }
            g.drawLine(LEFT + plotWidth + 20, legend, LEFT + plotWidth + 50, legend);
            g.setColor(Color.BLACK);
            g.drawString(line.getKey().replace(" R", " R (raw JDBC)"), LEFT + plotWidth + 58, legend + 4);
            legend += 22;
        }
        if (probe != null) {
            int y = TOP + plotHeight - (int) (plotHeight * probe / top);
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3f, 4f}, 0f));
            g.drawLine(LEFT, y, LEFT + plotWidth, y);
            g.drawLine(LEFT + plotWidth + 20, legend, LEFT + plotWidth + 50, legend);
            g.setColor(Color.BLACK);
            g.drawString("PostgreSQL group-commit probe", LEFT + plotWidth + 58, legend + 4);
            g.drawString("(64 threads, W6)", LEFT + plotWidth + 58, legend + 18);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static int xOf(int index, int count, int plotWidth) {
        return LEFT + 60 + (plotWidth - 120) * index / (count - 1);
    }

    private static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
