package io.mindstream.simulator;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Procedural stimulus pictures so the display has something to show. A concept fixes the shape family and the
 * palette (hue); an exemplar varies size, rotation, the background pattern (stripes, dots, checks, rings) and a
 * secondary colour. Deterministic: the same (seed, concept, exemplar) always gives the same pixels.
 */
final class Thumbnails {

    static final int SIZE = 96;
    private static final int SHAPES = 8;

    private Thumbnails() {
    }

    static BufferedImage draw(long seed, int concept, int exemplar) {
        SplittableRandom conceptRnd = new SplittableRandom(CounterRandom.streamKey(seed, 20_000L + concept));
        SplittableRandom exRnd = new SplittableRandom(
                CounterRandom.streamKey(seed, 1_000_000L + concept * 1000L + exemplar));
        // concept → hue (golden-angle spacing keeps neighbouring concepts apart) and shape
        float hue = (float) ((concept * 0.381966) % 1.0);
        int shape = concept < 0 ? exRnd.nextInt(SHAPES) : (concept + concept / SHAPES) % SHAPES;
        float hue2 = (hue + 0.35f + 0.3f * (float) exRnd.nextDouble()) % 1f;
        Color bg = Color.getHSBColor(hue2, 0.25f + 0.2f * (float) exRnd.nextDouble(), 0.95f);
        Color pattern = Color.getHSBColor(hue2, 0.55f, 0.75f);
        Color fg = Color.getHSBColor(hue, 0.85f, 0.55f + 0.4f * (float) conceptRnd.nextDouble());
        Color edge = Color.getHSBColor(hue, 0.9f, 0.25f);

        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(bg);
            g.fillRect(0, 0, SIZE, SIZE);
            g.setColor(pattern);
            int kind = exRnd.nextInt(4);
            int step = 8 + exRnd.nextInt(10);
            switch (kind) {
                case 0 -> { // stripes at an exemplar-specific angle
                    AffineTransform old = g.getTransform();
                    g.rotate(exRnd.nextDouble() * Math.PI, SIZE / 2.0, SIZE / 2.0);
                    for (int x = -SIZE; x < 2 * SIZE; x += step) {
                        g.fillRect(x, -SIZE, step / 2, 3 * SIZE);
                    }
                    g.setTransform(old);
                }
                case 1 -> { // dots
                    for (int y = step / 2; y < SIZE; y += step) {
                        for (int x = step / 2; x < SIZE; x += step) {
                            g.fillOval(x - 2, y - 2, 4, 4);
                        }
                    }
                }
                case 2 -> { // checks
                    for (int y = 0; y < SIZE; y += step) {
                        for (int x = ((y / step) % 2) * step; x < SIZE; x += 2 * step) {
                            g.fillRect(x, y, step, step);
                        }
                    }
                }
                default -> { // rings
                    g.setStroke(new BasicStroke(2f));
                    for (int r = step; r < SIZE; r += step) {
                        g.drawOval(SIZE / 2 - r, SIZE / 2 - r, 2 * r, 2 * r);
                    }
                }
            }
            double scale = 0.55 + 0.3 * exRnd.nextDouble();
            double angle = exRnd.nextDouble() * 2 * Math.PI;
            double cx = SIZE / 2.0 + (exRnd.nextDouble() - 0.5) * 16;
            double cy = SIZE / 2.0 + (exRnd.nextDouble() - 0.5) * 16;
            Shape s = shape(shape);
            AffineTransform at = new AffineTransform();
            at.translate(cx, cy);
            at.rotate(angle);
            at.scale(scale * SIZE / 2.0, scale * SIZE / 2.0);
            Shape placed = at.createTransformedShape(s);
            g.setColor(fg);
            g.fill(placed);
            g.setColor(edge);
            g.setStroke(new BasicStroke(2.5f));
            g.draw(placed);
            if (concept < 0) { // catch images: a bold "odd" cross over everything
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(5f));
                g.drawLine(12, 12, SIZE - 12, SIZE - 12);
                g.drawLine(SIZE - 12, 12, 12, SIZE - 12);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Shapes in a unit box centred on the origin. */
    private static Shape shape(int kind) {
        return switch (kind) {
            case 0 -> new Ellipse2D.Double(-1, -1, 2, 2);
            case 1 -> new Rectangle2D.Double(-0.85, -0.85, 1.7, 1.7);
            case 2 -> polygon(3, 1, 1);
            case 3 -> polygon(5, 1, 0.45);  // star
            case 4 -> polygon(6, 1, 1);     // hexagon
            case 5 -> cross();
            case 6 -> polygon(8, 1, 0.6);   // eight-pointed star
            default -> ring();
        };
    }

    private static Shape polygon(int points, double outer, double inner) {
        boolean star = inner != outer;
        int n = star ? 2 * points : points;
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < n; i++) {
            double r = star && i % 2 == 1 ? inner : outer;
            double a = -Math.PI / 2 + 2 * Math.PI * i / n;
            if (i == 0) {
                p.moveTo(r * Math.cos(a), r * Math.sin(a));
            } else {
                p.lineTo(r * Math.cos(a), r * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    private static Shape cross() {
        Path2D.Double p = new Path2D.Double();
        p.append(new Rectangle2D.Double(-1, -0.3, 2, 0.6), false);
        p.append(new Rectangle2D.Double(-0.3, -1, 0.6, 2), false);
        return p;
    }

    private static Shape ring() {
        Path2D.Double p = new Path2D.Double(Path2D.WIND_EVEN_ODD);
        p.append(new Ellipse2D.Double(-1, -1, 2, 2), false);
        p.append(new Ellipse2D.Double(-0.55, -0.55, 1.1, 1.1), false);
        return p;
    }
}
