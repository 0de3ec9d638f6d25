package io.mindstream.processor.dsp;

/**
 * One second-order section {@code b0 b1 b2 / 1 a1 a2}, the row layout of scipy's {@code sos} arrays (with
 * {@code a0 = 1}).
 */
public record Biquad(double b0, double b1, double b2, double a1, double a2) {

    /** DC gain {@code H(1)}; used to seed the steady state of the next section. */
    public double dcGain() {
        return (b0 + b1 + b2) / (1 + a1 + a2);
    }

    public Biquad scaled(double gain) {
        return new Biquad(b0 * gain, b1 * gain, b2 * gain, a1, a2);
    }
}
