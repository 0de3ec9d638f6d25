package io.mindstream.lsl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** lsl_api.cfg parsing with liblsl's rules and defaults (lsl-protocol.md §8). */
class LslConfigTest {

    @Test
    void defaultsMatchLiblsl() {
        LslConfig c = LslConfig.defaults();
        assertEquals(16571, c.multicastPort());
        assertEquals(16572, c.basePort());
        assertEquals(32, c.portRange());
        assertTrue(c.allowRandomPorts());
        assertEquals(LslConfig.ResolveScope.SITE, c.resolveScope());
        assertEquals(List.of("127.0.0.1", "255.255.255.255", "224.0.0.1", "224.0.0.183", "239.255.172.215"),
                c.discoveryAddresses());
        assertEquals(24, c.ttl());
        assertEquals("default", c.sessionId());
        assertEquals(List.of(), c.knownPeers());
        assertEquals(2.0, c.timeUpdateInterval());
        assertEquals(8, c.timeProbeCount());
        assertEquals(6, c.timeUpdateMinProbes());
        assertEquals(15.0, c.watchdogTimeThreshold());
        assertEquals(110, c.useProtocolVersion());
    }

    @Test
    void fileKeysAreReadAsLiblslDoes() {
        LslConfig c = LslConfig.parse("; comment at column 0\n[ports]\nBasePort = 30000\nPortRange=8\n"
                + "AllowRandomPorts = 0\n[multicast]\nResolveScope = link\nTTLOverride = 3\n"
                + "[lab]\nKnownPeers = {10.0.0.1, lab-pc}\nSessionID = expt7\n"
                + "[tuning]\nTimeProbeCount = 4\nMulticastMinRTT = 0.25\nForceDefaultTimestamps = 1\n", "inline");
        assertEquals(30000, c.basePort());
        assertEquals(8, c.portRange());
        assertFalse(c.allowRandomPorts());
        assertEquals(List.of("127.0.0.1", "255.255.255.255", "224.0.0.1", "224.0.0.183"), c.discoveryAddresses());
        assertEquals(3, c.ttl());
        assertEquals(List.of("10.0.0.1", "lab-pc"), c.knownPeers());
        assertEquals("expt7", c.sessionId());
        assertEquals(4, c.timeProbeCount());
        assertEquals(0.25, c.multicastMinRtt());
        assertTrue(c.forceDefaultTimestamps());
        assertEquals(LslConfig.ResolveScope.MACHINE,
                LslConfig.parse("[multicast]\nResolveScope = machine\n", "x").resolveScope());
        assertEquals(List.of("239.1.2.3"),
                LslConfig.parse("[multicast]\nAddressesOverride = {239.1.2.3}\n", "x").discoveryAddresses());
        assertEquals("{1.2.3.4}", LslConfig.defaults().with("lab.KnownPeers", "{1.2.3.4}").raw("lab.KnownPeers").orElseThrow());
    }

    @Test
    void invalidFilesAreRejectedWithFileLineAndKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LslConfig.parse("[lab]\nSessionID =\n", "f.cfg"))
                .getMessage().contains("f.cfg:2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LslConfig.parse("[lab]\nA = 1\nA = 2\n", "f.cfg"))
                .getMessage().contains("duplicate"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LslConfig.parse("[ports]\nBasePort = x\n", "f.cfg"))
                .getMessage().contains("ports.BasePort"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LslConfig.parse("[multicast]\nResolveScope = galaxy\n", "f"))
                .getMessage().contains("galaxy"));
        assertThrows(IllegalArgumentException.class, () -> LslConfig.parse("[ports\n", "f"));
        assertThrows(IllegalArgumentException.class, () -> LslConfig.parse("novalue\n", "f"));
    }

    @Test
    void fromFileReadsAFile() throws Exception {
        Path p = TestSupport.writeConfig("[lab]\nSessionID = fromfile\n");
        assertEquals("fromfile", LslConfig.fromFile(p).sessionId());
    }
}
