package io.mindstream.processor.dsp;

/** The little complex arithmetic filter design needs (poles and zeros); immutable, design-time only. */
record Complex(double re, double im) {
    static final Complex ZERO = new Complex(0, 0);
    static final Complex ONE = new Complex(1, 0);

    static Complex real(double re) {
        return new Complex(re, 0);
    }

    Complex plus(Complex o) {
        return new Complex(re + o.re, im + o.im);
    }

    Complex minus(Complex o) {
        return new Complex(re - o.re, im - o.im);
    }

    Complex times(Complex o) {
        return new Complex(re * o.re - im * o.im, re * o.im + im * o.re);
    }

    Complex times(double s) {
        return new Complex(re * s, im * s);
    }

    Complex div(Complex o) {
        double d = o.re * o.re + o.im * o.im;
        return new Complex((re * o.re + im * o.im) / d, (im * o.re - re * o.im) / d);
    }

    Complex sqrt() {
        double m = Math.hypot(re, im);
        double r = Math.sqrt((m + re) / 2);
        double i = Math.copySign(Math.sqrt((m - re) / 2), im);
        return new Complex(r, i);
    }

    double abs2() {
        return re * re + im * im;
    }
}
