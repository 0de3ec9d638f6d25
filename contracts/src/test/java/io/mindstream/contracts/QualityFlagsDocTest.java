package io.mindstream.contracts;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/contracts.md's quality-flag table is what a reader in another language decodes with: its bit values and names
 * must be {@link QualityFlags}' exactly, and {@link QualityFlags#describe} must name the bits the same way.
 */
class QualityFlagsDocTest {

    @Test
    void theDocumentedBitsAreTheCodes() throws Exception {
        Map<String, Integer> code = new TreeMap<>();
        for (Field f : QualityFlags.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                code.put(f.getName(), f.getInt(null));
            }
        }
        String doc = Files.readString(Path.of("../docs/contracts.md"));
        Map<String, Integer> documented = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\| (\\d) \\| (\\d+) \\| `([A-Z_]+)` \\|").matcher(doc);
        while (m.find()) {
            int bit = Integer.parseInt(m.group(1));
            int value = Integer.parseInt(m.group(2));
            assertEquals(1 << bit, value, m.group(3) + ": bit and value agree");
            documented.put(m.group(3), value);
        }
        assertEquals(code, documented, "docs/contracts.md's table lists every flag with its value");
        code.forEach((name, value) -> assertEquals(name, QualityFlags.describe(value)));
        assertEquals("PEAK_TO_PEAK|CLAMPED", QualityFlags.describe(20), "the example in the doc");
    }
}
