package io.mindstream.simulator;

import java.util.SplittableRandom;

/**
 * Sensor gains of current dipoles in a spherical head: the radial field component, which for a spherically
 * symmetric conductor is the primary field alone (Sarvas 1987): {@code B_r ∝ ((r_q × q) · n) / |r − r_q|³}. Axial
 * gradiometers measure close to the radial field, so this gives the smooth two-lobed topographies of real MEG.
 * Gains are returned normalised to unit RMS over channels; amplitudes are set by whoever uses them.
 */
final class ForwardModel {

    /** Dipoles sit on shells of this radius range around the helmet centre (cortex under the helmet), metres. */
    static final double MIN_SOURCE_RADIUS = 0.060;
    static final double MAX_SOURCE_RADIUS = 0.078;

    private final SensorLayout layout;

    ForwardModel(SensorLayout layout) {
        this.layout = layout;
    }

    /**
     * A random tangential dipole in the given patch (angles in degrees; theta from the vertex, phi from the nose
     * towards the left ear; {@code bothHemispheres} mirrors phi to the right with probability ½).
     *
     * @return {x, y, z, qx, qy, qz} relative to the helmet centre
     */
    static double[] randomDipole(SplittableRandom rnd, double thetaMin, double thetaMax, double phiMin,
                                 double phiMax, boolean bothHemispheres) {
        double theta = Math.toRadians(thetaMin + (thetaMax - thetaMin) * rnd.nextDouble());
        double phiDeg = phiMin + (phiMax - phiMin) * rnd.nextDouble();
        if (bothHemispheres && rnd.nextBoolean()) {
            phiDeg = -phiDeg;
        }
        double phi = Math.toRadians(phiDeg);
        double r = MIN_SOURCE_RADIUS + (MAX_SOURCE_RADIUS - MIN_SOURCE_RADIUS) * rnd.nextDouble();
        double ux = Math.sin(theta) * Math.cos(phi);
        double uy = Math.sin(theta) * Math.sin(phi);
        double uz = Math.cos(theta);
        // random tangential orientation: a random vector with its radial part removed
        double qx = rnd.nextGaussian(), qy = rnd.nextGaussian(), qz = rnd.nextGaussian();
        double dot = qx * ux + qy * uy + qz * uz;
        qx -= dot * ux;
        qy -= dot * uy;
        qz -= dot * uz;
        double qn = Math.sqrt(qx * qx + qy * qy + qz * qz);
        return new double[]{r * ux, r * uy, r * uz, qx / qn, qy / qn, qz / qn};
    }

    /** Gains of one dipole on every channel, unit RMS over channels. */
    double[] gains(double[] dipole) {
        int c = layout.channelCount();
        double[] g = new double[c];
        // r_q × q
        double cx = dipole[1] * dipole[5] - dipole[2] * dipole[4];
        double cy = dipole[2] * dipole[3] - dipole[0] * dipole[5];
        double cz = dipole[0] * dipole[4] - dipole[1] * dipole[3];
        double ss = 0;
        for (int i = 0; i < c; i++) {
            double sx = layout.x(i), sy = layout.y(i), sz = layout.z(i) - SensorLayout.HELMET_CENTRE_Z;
            double sn = Math.sqrt(sx * sx + sy * sy + sz * sz);
            double dx = sx - dipole[0], dy = sy - dipole[1], dz = sz - dipole[2];
            double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
            g[i] = (cx * sx + cy * sy + cz * sz) / sn / (d * d * d);
            ss += g[i] * g[i];
        }
        double inv = 1.0 / Math.sqrt(ss / c);
        for (int i = 0; i < c; i++) {
            g[i] *= inv;
        }
        return g;
    }
}
