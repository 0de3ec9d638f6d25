package io.mindstream.processor.calibration;

import io.mindstream.contracts.StreamKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrationFileTest {

    @TempDir
    Path tmp;

    @Test
    void roundTripKeepsTheContentIdAndTamperingIsDetected() throws Exception {
        Calibration c = Calibration.of(StreamKind.MEG, Calibration.ROBUST, new float[]{1.5f, -2f, 0f},
                new float[]{3f, 0f, Float.NaN}, "test");
        assertArrayEquals(new float[]{3f, 1f, 1f}, c.scale(), "zero and NaN spreads become 1");
        assertTrue(c.id().matches("cal-[0-9a-f]{12}"));
        Path f = tmp.resolve("cal.json");
        CalibrationFile.write(c, f);
        assertEquals(c, CalibrationFile.read(f));
        Files.writeString(f, Files.readString(f).replace("1.5", "1.25"));
        var e = assertThrows(IllegalArgumentException.class, () -> CalibrationFile.read(f));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        Calibration other = Calibration.of(StreamKind.MEG, Calibration.ROBUST, new float[]{1.25f, -2f, 0f},
                new float[]{3f, 0f, Float.NaN}, "test");
        assertNotEquals(c.id(), other.id());
    }

    @Test
    void percentilesFollowNumpyLinearInterpolation() {
        // numpy: np.percentile([1, 2, 3, 4], [25, 50, 75]) = [1.75, 2.5, 3.25]
        float[][] s = RobustStatistics.medianIqr(new float[]{4, 1, 3, 2}, 1, 4);
        assertEquals(2.5f, s[0][0]);
        assertEquals(1.5f, s[1][0]);
    }
}
