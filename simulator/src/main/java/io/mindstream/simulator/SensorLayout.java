package io.mindstream.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A CTF-275-like MEG helmet: channel labels in CTF's naming scheme ({@code M} + hemisphere {@code L/R/Z} + region
 * {@code C/F/O/P/T} + row + index, e.g. {@code MLC11}) with plausible 3-D positions and 2-D layout positions.
 *
 * <p>The positions are generated procedurally, not read from a device file: every region of one hemisphere is a patch
 * of a helmet-shaped sphere (rows run from the midline outwards, indices along the row), the other hemisphere mirrors
 * it and the midline sensors lie on the sagittal arc. Head coordinates follow the CTF/Neuromag convention: x towards
 * the nose, y towards the left ear, z up, metres; the helmet sphere has radius {@value #HELMET_RADIUS} m around
 * (0, 0, {@value #HELMET_CENTRE_Z}). The 2-D layout is the azimuthal-equidistant projection seen from above (nose up,
 * left hemisphere on the left), normalised to [0, 1] on both axes, the convention brainmagick's spatial attention uses.
 *
 * <p>The full system has 275 sensors; MLF25, MRF43 and MRO13 are dead in THINGS-MEG (→ 272) and the authors also drop
 * MRO11 (→ 271).
 */
public final class SensorLayout {

    static final double HELMET_RADIUS = 0.115;
    static final double HELMET_CENTRE_Z = 0.035;
    /** Sensors missing from every THINGS-MEG recording. */
    public static final List<String> DEAD_CHANNELS = List.of("MLF25", "MRF43", "MRO13");
    /** Additionally excluded by the THINGS-MEG authors' preprocessing. */
    public static final String EXCLUDED_CHANNEL = "MRO11";

    private final List<String> labels;
    private final double[] xyz;     // C × 3
    private final double[] normals; // C × 3, outward unit vectors (radial)
    private final double[] xy2d;    // C × 2 in [0, 1]

    private SensorLayout(List<String> labels, double[] xyz, double[] normals, double[] xy2d) {
        this.labels = Collections.unmodifiableList(labels);
        this.xyz = xyz;
        this.normals = normals;
        this.xy2d = xy2d;
    }

    /**
     * The CTF-275 helmet with the dead channels removed.
     *
     * @param channelCount 272 (dead channels removed) or 271 (MRO11 removed too)
     */
    public static SensorLayout ctf275(int channelCount) {
        if (channelCount != 272 && channelCount != 271) {
            throw new IllegalArgumentException("channelCount " + channelCount + " is not 272 or 271");
        }
        List<String> names = new ArrayList<>();
        List<double[]> angles = new ArrayList<>(); // {theta from vertex, phi from nose towards left}, degrees
        // Left-hemisphere regions: {phi min, phi max, theta min, theta max} and the sensors per row.
        addRegion("C", new int[]{7, 5, 2, 2, 5, 3}, 62, 118, 12, 62, names, angles);
        addRegion("F", new int[]{4, 5, 5, 6, 6, 7}, 8, 58, 22, 100, names, angles);
        addRegion("O", new int[]{4, 4, 4, 4, 3}, 150, 176, 45, 112, names, angles);
        addRegion("P", new int[]{2, 3, 5, 5, 7}, 120, 160, 12, 78, names, angles);
        addRegion("T", new int[]{6, 7, 7, 7, 7}, 52, 150, 70, 118, names, angles);
        // Midline sensors on the sagittal arc: signed angle from the vertex, positive towards the nose.
        String[] midRegions = {"C", "F", "O", "P"};
        double[][] midAngles = {
                {14, -6, -26, -44},   // MZC01..04: near the vertex, running back
                {78, 58, 36},         // MZF01..03: forehead up to the vertex
                {-82, -98, -112},     // MZO01..03: down the back of the head
                {-62},                // MZP01
        };
        List<String> allNames = new ArrayList<>();
        List<double[]> all = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            double[] a = angles.get(i);
            String n = names.get(i);
            allNames.add("ML" + n);
            all.add(new double[]{a[0], a[1]});
            allNames.add("MR" + n);
            all.add(new double[]{a[0], -a[1]});
        }
        for (int g = 0; g < midRegions.length; g++) {
            double[] arc = midAngles[g];
            for (int k = 0; k < arc.length; k++) {
                allNames.add(String.format("MZ%s%02d", midRegions[g], k + 1));
                all.add(new double[]{Math.abs(arc[k]), arc[k] >= 0 ? 0 : 180});
            }
        }
        if (allNames.size() != 275) {
            throw new IllegalStateException("CTF-275 generator made " + allNames.size() + " sensors");
        }
        // Sort like a CTF channel list: MLC.., MLF.., ..., MRC.., ..., MZC..
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < allNames.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> allNames.get(a).compareTo(allNames.get(b)));
        List<String> labels = new ArrayList<>();
        List<double[]> kept = new ArrayList<>();
        for (int i : order) {
            String n = allNames.get(i);
            if (DEAD_CHANNELS.contains(n) || (channelCount == 271 && n.equals(EXCLUDED_CHANNEL))) {
                continue;
            }
            labels.add(n);
            kept.add(all.get(i));
        }
        int c = labels.size();
        double[] xyz = new double[c * 3];
        double[] nrm = new double[c * 3];
        double[] xy = new double[c * 2];
        double maxTheta = 0;
        for (double[] a : kept) {
            maxTheta = Math.max(maxTheta, a[0]);
        }
        for (int i = 0; i < c; i++) {
            double theta = Math.toRadians(kept.get(i)[0]);
            double phi = Math.toRadians(kept.get(i)[1]);
            double nx = Math.sin(theta) * Math.cos(phi);
            double ny = Math.sin(theta) * Math.sin(phi);
            double nz = Math.cos(theta);
            nrm[3 * i] = nx;
            nrm[3 * i + 1] = ny;
            nrm[3 * i + 2] = nz;
            xyz[3 * i] = HELMET_RADIUS * nx;
            xyz[3 * i + 1] = HELMET_RADIUS * ny;
            xyz[3 * i + 2] = HELMET_CENTRE_Z + HELMET_RADIUS * nz;
            // seen from above, nose up: left (phi > 0) is on the left of the picture
            double r = kept.get(i)[0] / maxTheta;
            xy[2 * i] = 0.5 - 0.5 * r * Math.sin(phi);
            xy[2 * i + 1] = 0.5 + 0.5 * r * Math.cos(phi);
        }
        return new SensorLayout(labels, xyz, nrm, xy);
    }

    private static void addRegion(String region, int[] perRow, double phiMin, double phiMax, double thetaMin,
                                  double thetaMax, List<String> names, List<double[]> angles) {
        int rows = perRow.length;
        for (int r = 0; r < rows; r++) {
            double theta = thetaMin + (thetaMax - thetaMin) * (r + 0.5) / rows;
            int n = perRow[r];
            // rows are staggered by half a step so neighbouring rows do not line up
            double stagger = (r % 2 == 0) ? 0.0 : 0.5;
            for (int k = 0; k < n; k++) {
                double u = (k + 0.5 + (n > 1 ? stagger * 0.5 : 0)) / (n + (n > 1 ? 0.25 : 0));
                double phi = phiMin + (phiMax - phiMin) * u;
                names.add(region + (r + 1) + (k + 1));
                angles.add(new double[]{theta, phi});
            }
        }
    }

    public int channelCount() {
        return labels.size();
    }

    /** Channel labels in stream order. */
    public List<String> labels() {
        return labels;
    }

    public String label(int channel) {
        return labels.get(channel);
    }

    /** Sensor position in head coordinates, metres: {x, y, z}. */
    public double[] position(int channel) {
        return new double[]{xyz[3 * channel], xyz[3 * channel + 1], xyz[3 * channel + 2]};
    }

    /** Outward unit normal (the gradiometer axis). */
    public double[] normal(int channel) {
        return new double[]{normals[3 * channel], normals[3 * channel + 1], normals[3 * channel + 2]};
    }

    /** 2-D layout position in [0, 1]², {x, y}, nose up, left hemisphere on the left. */
    public double[] position2d(int channel) {
        return new double[]{xy2d[2 * channel], xy2d[2 * channel + 1]};
    }

    double x(int c) {
        return xyz[3 * c];
    }

    double y(int c) {
        return xyz[3 * c + 1];
    }

    double z(int c) {
        return xyz[3 * c + 2];
    }
}
