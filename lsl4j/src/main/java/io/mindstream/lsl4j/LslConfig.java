package io.mindstream.lsl4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The knobs of liblsl's {@code lsl_api.cfg}, read from the same files with the same keys so one lab config drives
 * both stacks. Immutable; {@link #load()} searches {@code $LSLAPICFG}, {@code ./lsl_api.cfg},
 * {@code ~/lsl_api/lsl_api.cfg}, {@code /etc/lsl_api/lsl_api.cfg} (first valid file wins, as liblsl), and
 * {@link #with(String, String)} derives a config with one key changed, e.g.
 * {@code LslConfig.defaults().with("lab.KnownPeers", "{127.0.0.1}")}.
 */
public final class LslConfig {
    private static final Logger log = LoggerFactory.getLogger(LslConfig.class);

    /** Discovery reach, from the narrowest to the widest. */
    public enum ResolveScope { MACHINE, LINK, SITE, ORGANIZATION, GLOBAL }

    private final Map<String, String> values;
    private final String origin;

    private LslConfig(Map<String, String> values, String origin) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.origin = origin;
        validate();
    }

    /** liblsl's built-in defaults (no file). */
    public static LslConfig defaults() {
        return new LslConfig(Map.of(), "built-in defaults");
    }

    /** The first valid config file in liblsl's search order, else the defaults. Logs which one was used. */
    public static LslConfig load() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("LSLAPICFG");
        if (env != null && !env.isBlank()) candidates.add(Path.of(env));
        candidates.add(Path.of("lsl_api.cfg"));
        String home = System.getProperty("user.home");
        if (home != null) candidates.add(Path.of(home, "lsl_api", "lsl_api.cfg"));
        candidates.add(Path.of("/etc/lsl_api/lsl_api.cfg"));
        for (Path p : candidates) {
            if (!Files.isReadable(p)) continue;
            try {
                LslConfig c = fromFile(p);
                log.debug("LSL config loaded from {}", p.toAbsolutePath());
                return c;
            } catch (IOException | IllegalArgumentException e) {
                log.warn("Ignoring LSL config {}: {}", p.toAbsolutePath(), e.getMessage());
            }
        }
        return defaults();
    }

    /** Reads one INI file; throws {@link IllegalArgumentException} naming file, line and problem when invalid. */
    public static LslConfig fromFile(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses INI text as liblsl: {@code ;} comments at column 0, {@code [section]}, {@code Key = value}. */
    public static LslConfig parse(String ini, String origin) {
        Map<String, String> vals = new LinkedHashMap<>();
        String section = "";
        int lineNr = 0;
        for (String line : ini.split("\n", -1)) {
            lineNr++;
            if (line.startsWith(";") || line.isBlank()) continue;
            if (line.startsWith("[")) {
                int close = line.indexOf(']');
                if (close < 0) throw new IllegalArgumentException(origin + ":" + lineNr + ": no closing ] in section line");
                section = line.substring(1, close) + ".";
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException(origin + ":" + lineNr + ": no key = value pair");
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.isEmpty()) throw new IllegalArgumentException(origin + ":" + lineNr + ": empty key");
            if (value.isEmpty()) throw new IllegalArgumentException(origin + ":" + lineNr + ": empty value for " + key);
            if (vals.put(section + key, value) != null)
                throw new IllegalArgumentException(origin + ":" + lineNr + ": duplicate key " + section + key);
        }
        return new LslConfig(vals, origin);
    }

    /** A copy with {@code section.Key} (e.g. {@code lab.KnownPeers}) set to {@code value} (cfg syntax). */
    public LslConfig with(String sectionDotKey, String value) {
        Map<String, String> m = new LinkedHashMap<>(values);
        m.put(sectionDotKey, value);
        return new LslConfig(m, origin + " + " + sectionDotKey);
    }

    /** Where this config came from (file path or "built-in defaults"). */
    public String origin() { return origin; }

    private void validate() {
        // Parse every typed knob once so a bad value is reported at load time, naming the key.
        multicastPort(); basePort(); portRange(); allowRandomPorts(); resolveScope(); ttl(); discoveryAddresses();
        knownPeers(); sessionId(); useProtocolVersion(); multicastMinRtt(); multicastMaxRtt(); unicastMinRtt();
        unicastMaxRtt(); continuousResolveInterval(); timeUpdateInterval(); timeUpdateMinProbes(); timeProbeCount();
        timeProbeInterval(); timeProbeMaxRtt(); watchdogCheckInterval(); watchdogTimeThreshold();
        sendSocketBufferSize(); receiveSocketBufferSize(); forceDefaultTimestamps(); smoothingHalftime();
        maxCachedQueries(); ipv6(); interfaces(); listenAddress();
        if (portRange() < 1 || basePort() < 1 || basePort() + portRange() - 1 > 65535)
            throw new IllegalArgumentException(origin + ": ports.BasePort/PortRange outside 1..65535");
    }

    // --- [ports] ---
    public int multicastPort() { return intOf("ports.MulticastPort", 16571); }
    public int basePort() { return intOf("ports.BasePort", 16572); }
    public int portRange() { return intOf("ports.PortRange", 32); }
    public boolean allowRandomPorts() { return boolOf("ports.AllowRandomPorts", true); }
    /** {@code allow}, {@code disable} or {@code force}. lsl4j speaks IPv4 only; see docs/lsl4j.md. */
    public String ipv6() { return str("ports.IPv6", "allow"); }

    // --- [multicast] ---
    public ResolveScope resolveScope() {
        String s = str("multicast.ResolveScope", "site");
        try {
            return ResolveScope.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": multicast.ResolveScope must be machine, link, site, "
                    + "organization or global, got '" + s + "'");
        }
    }

    public String listenAddress() { return str("multicast.ListenAddress", ""); }
    /** Local addresses to send multicast from; empty = all UP+MULTICAST interfaces. */
    public List<String> interfaces() { return setOf("multicast.Interfaces", "{}"); }

    /** IPv4 discovery addresses for the configured scope (or {@code AddressesOverride}). */
    public List<String> discoveryAddresses() {
        List<String> override = setOf("multicast.AddressesOverride", "{}");
        if (!override.isEmpty()) return ipv4Only(override);
        LinkedHashSet<String> out = new LinkedHashSet<>();
        int level = resolveScope().ordinal();
        out.addAll(setOf("multicast.MachineAddresses", "{127.0.0.1}"));
        if (level >= ResolveScope.LINK.ordinal())
            out.addAll(setOf("multicast.LinkAddresses", "{255.255.255.255, 224.0.0.1, 224.0.0.183}"));
        if (level >= ResolveScope.SITE.ordinal()) out.addAll(setOf("multicast.SiteAddresses", "{239.255.172.215}"));
        if (level >= ResolveScope.ORGANIZATION.ordinal()) out.addAll(setOf("multicast.OrganizationAddresses", "{}"));
        if (level >= ResolveScope.GLOBAL.ordinal()) out.addAll(setOf("multicast.GlobalAddresses", "{}"));
        return ipv4Only(new ArrayList<>(out));
    }

    public int ttl() {
        int o = intOf("multicast.TTLOverride", -1);
        if (o >= 0) return o;
        return switch (resolveScope()) {
            case MACHINE -> 0;
            case LINK -> 1;
            case SITE -> 24;
            case ORGANIZATION -> 32;
            case GLOBAL -> 255;
        };
    }

    // --- [lab] ---
    public List<String> knownPeers() { return setOf("lab.KnownPeers", "{}"); }
    public String sessionId() { return str("lab.SessionID", "default"); }

    // --- [tuning] ---
    public int useProtocolVersion() { return Math.min(StreamInfo.PROTOCOL_VERSION, intOf("tuning.UseProtocolVersion", 110)); }
    public double multicastMinRtt() { return dbl("tuning.MulticastMinRTT", 0.5); }
    public double multicastMaxRtt() { return dbl("tuning.MulticastMaxRTT", 3.0); }
    public double unicastMinRtt() { return dbl("tuning.UnicastMinRTT", 0.75); }
    public double unicastMaxRtt() { return dbl("tuning.UnicastMaxRTT", 5.0); }
    public double continuousResolveInterval() { return dbl("tuning.ContinuousResolveInterval", 0.5); }
    public double timeUpdateInterval() { return dbl("tuning.TimeUpdateInterval", 2.0); }
    public int timeUpdateMinProbes() { return intOf("tuning.TimeUpdateMinProbes", 6); }
    public int timeProbeCount() { return intOf("tuning.TimeProbeCount", 8); }
    public double timeProbeInterval() { return dbl("tuning.TimeProbeInterval", 0.064); }
    public double timeProbeMaxRtt() { return dbl("tuning.TimeProbeMaxRTT", 0.128); }
    public double watchdogCheckInterval() { return dbl("tuning.WatchdogCheckInterval", 15.0); }
    public double watchdogTimeThreshold() { return dbl("tuning.WatchdogTimeThreshold", 15.0); }
    public int sendSocketBufferSize() { return intOf("tuning.SendSocketBufferSize", 0); }
    public int receiveSocketBufferSize() { return intOf("tuning.ReceiveSocketBufferSize", 0); }
    public boolean forceDefaultTimestamps() { return boolOf("tuning.ForceDefaultTimestamps", false); }
    public double smoothingHalftime() { return dbl("tuning.SmoothingHalftime", 90.0); }
    public int maxCachedQueries() { return intOf("tuning.MaxCachedQueries", 100); }

    /** The raw value of {@code section.Key}, if set. */
    public Optional<String> raw(String sectionDotKey) { return Optional.ofNullable(values.get(sectionDotKey)); }

    private String str(String key, String dflt) {
        return values.getOrDefault(key, dflt);
    }

    private int intOf(String key, int dflt) {
        String s = values.get(key);
        if (s == null) return dflt;
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(origin + ": " + key + " must be an integer, got '" + s + "'");
        }
    }

    private double dbl(String key, double dflt) {
        String s = values.get(key);
        if (s == null) return dflt;
        try {
            double d = Double.parseDouble(s.strip());
            if (!Double.isFinite(d) || d < 0) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(origin + ": " + key + " must be a non-negative number, got '" + s + "'");
        }
    }

    /** liblsl booleans: only {@code 1} is true (and we accept {@code 0} as false explicitly). */
    private boolean boolOf(String key, boolean dflt) {
        String s = values.get(key);
        if (s == null) return dflt;
        return "1".equals(s.strip());
    }

    private List<String> setOf(String key, String dflt) {
        String s = values.getOrDefault(key, dflt).strip();
        if (s.startsWith("{")) s = s.substring(1);
        if (s.endsWith("}")) s = s.substring(0, s.length() - 1);
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.strip();
            if (!p.isEmpty()) out.add(p);
        }
        return out;
    }

    private static List<String> ipv4Only(List<String> addrs) {
        List<String> out = new ArrayList<>();
        for (String a : addrs) if (!a.contains(":")) out.add(a);
        return out;
    }

    @Override
    public String toString() {
        return "LslConfig[" + origin + ", " + values + "]";
    }
}
