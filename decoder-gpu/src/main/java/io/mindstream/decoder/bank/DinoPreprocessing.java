package io.mindstream.decoder.bank;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * DINOv2's evaluation preprocessing: resize so the shorter side is 256 (bicubic), centre-crop 224 × 224, scale to
 * [0, 1] and normalise each channel with the ImageNet mean and standard deviation; output CHW float32.
 *
 * <p>Java2D's bicubic filter does not low-pass when shrinking, so large images are first halved with bilinear steps
 * until they are within 2× of the target (close to PIL's antialiased resize; values differ from torchvision's in the
 * last few bits, which moves embeddings slightly but not retrieval).
 */
public final class DinoPreprocessing {

    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final int resize;
    private final int crop;

    public DinoPreprocessing(int resize, int crop) {
        if (crop < 1 || resize < crop) {
            throw new IllegalArgumentException("need resize >= crop >= 1, got " + resize + " and " + crop);
        }
        this.resize = resize;
        this.crop = crop;
    }

    /** 256 → 224, as DINOv2 is evaluated. */
    public static DinoPreprocessing dinov2() {
        return new DinoPreprocessing(256, 224);
    }

    public int crop() {
        return crop;
    }

    /** CHW floats, 3 × crop × crop. */
    public float[] apply(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double scale = resize / (double) Math.min(w, h);
        int nw = Math.max(crop, (int) Math.round(w * scale));
        int nh = Math.max(crop, (int) Math.round(h * scale));
        BufferedImage src = toRgb(image);
        while (src.getWidth() >= 2 * nw && src.getHeight() >= 2 * nh) {
            src = draw(src, src.getWidth() / 2, src.getHeight() / 2, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        BufferedImage resized = src.getWidth() == nw && src.getHeight() == nh ? src
                : draw(src, nw, nh, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        int x0 = (nw - crop) / 2;
        int y0 = (nh - crop) / 2;
        float[] out = new float[3 * crop * crop];
        int plane = crop * crop;
        for (int y = 0; y < crop; y++) {
            for (int x = 0; x < crop; x++) {
                int rgb = resized.getRGB(x0 + x, y0 + y);
                int i = y * crop + x;
                out[i] = (((rgb >> 16) & 0xff) / 255f - MEAN[0]) / STD[0];
                out[plane + i] = (((rgb >> 8) & 0xff) / 255f - MEAN[1]) / STD[1];
                out[2 * plane + i] = ((rgb & 0xff) / 255f - MEAN[2]) / STD[2];
            }
        }
        return out;
    }

    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(image, 0, 0, java.awt.Color.WHITE, null); // transparent pixels on white, as PIL's convert("RGB")
        g.dispose();
        return rgb;
    }

    static BufferedImage draw(BufferedImage src, int w, int h, Object interpolation) {
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return dst;
    }

    /** A small RGB copy for the bank's thumbnails (longer side {@code size}). */
    public static BufferedImage thumbnail(BufferedImage image, int size) {
        double s = size / (double) Math.max(image.getWidth(), image.getHeight());
        int w = Math.max(1, (int) Math.round(image.getWidth() * s));
        int h = Math.max(1, (int) Math.round(image.getHeight() * s));
        BufferedImage src = toRgb(image);
        while (src.getWidth() >= 2 * w && src.getHeight() >= 2 * h) {
            src = draw(src, src.getWidth() / 2, src.getHeight() / 2, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        return draw(src, w, h, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    }
}
