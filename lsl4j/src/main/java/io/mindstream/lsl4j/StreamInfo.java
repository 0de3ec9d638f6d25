package io.mindstream.lsl4j;

import java.util.Objects;
import java.util.UUID;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Everything known about a stream: the fields of liblsl's shortinfo/fullinfo documents plus the free-form
 * {@link #desc()} tree. Create one to open an outlet; resolvers return them (with the outlet's address filled
 * in) to open inlets.
 */
public final class StreamInfo {
    /** Nominal rate of streams without a regular sampling rate (markers, events). */
    public static final double IRREGULAR_RATE = 0.0;
    /** The protocol version this library publishes and speaks: 1.10. */
    static final int PROTOCOL_VERSION = 110;

    private final String name;
    private final String type;
    private final int channelCount;
    private final double nominalSrate;
    private final ChannelFormat channelFormat;
    private final String sourceId;
    private double version = PROTOCOL_VERSION / 100.0;
    private double createdAt;
    private String uid = "";
    private String sessionId = "default";
    private String hostname = "";
    private String v4address = "";
    private int v4dataPort;
    private int v4servicePort;
    private String v6address = "";
    private int v6dataPort;
    private int v6servicePort;
    private XmlElement desc = new XmlElement("desc");

    /**
     * @param name         stream name, non-empty (e.g. {@code MEG})
     * @param type         content type (e.g. {@code MEG}, {@code EEG}, {@code Markers}); may be empty
     * @param channelCount number of channels per sample, ≥ 1
     * @param nominalSrate samples per second, or {@link #IRREGULAR_RATE}
     * @param channelFormat value type of every channel
     * @param sourceId     a unique, stable id of the source device; needed for recovery after an outlet restart
     */
    public StreamInfo(String name, String type, int channelCount, double nominalSrate, ChannelFormat channelFormat,
                      String sourceId) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("stream name must be non-empty");
        if (channelCount < 1) throw new IllegalArgumentException("channel count must be >= 1, got " + channelCount);
        if (!(nominalSrate >= 0) || Double.isInfinite(nominalSrate))
            throw new IllegalArgumentException("nominal rate must be >= 0 and finite, got " + nominalSrate);
        this.name = name;
        this.type = type == null ? "" : type;
        this.channelCount = channelCount;
        this.nominalSrate = nominalSrate;
        this.channelFormat = Objects.requireNonNull(channelFormat, "channelFormat");
        this.sourceId = sourceId == null ? "" : sourceId;
    }

    public String name() { return name; }
    public String type() { return type; }
    public int channelCount() { return channelCount; }
    public double nominalSrate() { return nominalSrate; }
    public ChannelFormat channelFormat() { return channelFormat; }
    public String sourceId() { return sourceId; }
    /** Protocol version of the outlet, e.g. 1.1. */
    public double version() { return version; }
    /** Outlet clock (seconds) when the outlet was created; 0 for an info not yet published. */
    public double createdAt() { return createdAt; }
    /** Random id of one outlet instance (lowercase UUID); "" until published. */
    public String uid() { return uid; }
    public String sessionId() { return sessionId; }
    public String hostname() { return hostname; }
    /** IPv4 address of the outlet as seen by the resolver; "" for a local info. */
    public String v4address() { return v4address; }
    public int v4dataPort() { return v4dataPort; }
    public int v4servicePort() { return v4servicePort; }
    public String v6address() { return v6address; }
    public int v6dataPort() { return v6dataPort; }
    public int v6servicePort() { return v6servicePort; }

    /** The root of the free-form description (fullinfo only; empty in resolver results until {@code info()}). */
    public XmlElement desc() { return desc; }

    /** Bytes of one sample's values on the wire (numeric formats). */
    int sampleBytes() { return channelCount * channelFormat.valueSize(); }

    // --- set by the outlet / resolver ---
    void version(double v) { this.version = v; }
    void createdAt(double t) { this.createdAt = t; }
    void uid(String u) { this.uid = u; }
    void sessionId(String s) { this.sessionId = s; }
    void hostname(String h) { this.hostname = h; }
    void v4address(String a) { this.v4address = a; }
    void v4dataPort(int p) { this.v4dataPort = p; }
    void v4servicePort(int p) { this.v4servicePort = p; }
    void v6address(String a) { this.v6address = a; }
    void v6dataPort(int p) { this.v6dataPort = p; }
    void v6servicePort(int p) { this.v6servicePort = p; }
    void desc(XmlElement d) { this.desc = d; }

    void resetUid() { this.uid = UUID.randomUUID().toString().toLowerCase(java.util.Locale.ROOT); }

    StreamInfo copy() {
        StreamInfo c = new StreamInfo(name, type, channelCount, nominalSrate, channelFormat, sourceId);
        c.version = version; c.createdAt = createdAt; c.uid = uid; c.sessionId = sessionId; c.hostname = hostname;
        c.v4address = v4address; c.v4dataPort = v4dataPort; c.v4servicePort = v4servicePort;
        c.v6address = v6address; c.v6dataPort = v6dataPort; c.v6servicePort = v6servicePort;
        c.desc = desc.copy();
        return c;
    }

    /** The full document (desc included), as liblsl's {@code as_xml()} / the {@code LSL:fullinfo} reply. */
    public String toXml() {
        return write(true);
    }

    /** The shortinfo document ({@code <desc />} empty), as sent in discovery replies. */
    public String toShortXml() {
        return write(false);
    }

    private String write(boolean full) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("<?xml version=\"1.0\"?>\n<info>\n");
        field(sb, "name", name);
        field(sb, "type", type);
        field(sb, "channel_count", Integer.toString(channelCount));
        field(sb, "channel_format", channelFormat.lslName());
        field(sb, "source_id", sourceId);
        field(sb, "nominal_srate", Xml.g16(nominalSrate));
        field(sb, "version", Xml.g16(version));
        field(sb, "created_at", Xml.g16(createdAt));
        field(sb, "uid", uid);
        field(sb, "session_id", sessionId);
        field(sb, "hostname", hostname);
        field(sb, "v4address", v4address);
        field(sb, "v4data_port", Integer.toString(v4dataPort));
        field(sb, "v4service_port", Integer.toString(v4servicePort));
        field(sb, "v6address", v6address);
        field(sb, "v6data_port", Integer.toString(v6dataPort));
        field(sb, "v6service_port", Integer.toString(v6servicePort));
        if (full) desc.write(sb, 1);
        else sb.append("\t<desc />\n");
        sb.append("</info>\n");
        return sb.toString();
    }

    private static void field(StringBuilder sb, String tag, String value) {
        sb.append('\t').append('<').append(tag).append('>');
        XmlElement.escape(sb, value);
        sb.append("</").append(tag).append(">\n");
    }

    /**
     * Parses a shortinfo or fullinfo document. Throws {@link IllegalArgumentException} naming the problem when the
     * document is not well-formed or a field does not parse; {@link #validForWire()} checks what liblsl requires of
     * published infos.
     */
    public static StreamInfo fromXml(String xml) {
        Document doc = Xml.parse(xml);
        Element info = doc.getDocumentElement();
        if (info == null || !"info".equals(info.getNodeName()))
            throw new IllegalArgumentException("stream-info XML has no <info> root element");
        String fmt = Xml.childText(info, "channel_format");
        ChannelFormat format = ChannelFormat.fromLslName(fmt);
        int channels = parseInt(info, "channel_count", true);
        double srate = parseDouble(info, "nominal_srate", 0);
        StreamInfo si = new StreamInfo(Xml.childText(info, "name"), Xml.childText(info, "type"), channels, srate,
                format, Xml.childText(info, "source_id"));
        si.version = parseDouble(info, "version", PROTOCOL_VERSION / 100.0);
        si.createdAt = parseDouble(info, "created_at", 0);
        si.uid = Xml.childText(info, "uid");
        si.sessionId = Xml.childText(info, "session_id");
        si.hostname = Xml.childText(info, "hostname");
        si.v4address = Xml.childText(info, "v4address");
        si.v4dataPort = parsePort(info, "v4data_port");
        si.v4servicePort = parsePort(info, "v4service_port");
        si.v6address = Xml.childText(info, "v6address");
        si.v6dataPort = parsePort(info, "v6data_port");
        si.v6servicePort = parsePort(info, "v6service_port");
        Element d = Xml.child(info, "desc");
        if (d != null) Xml.copyChildren(d, si.desc);
        return si;
    }

    /** Whether this info satisfies what liblsl requires of a published stream (non-empty uid, version > 0). */
    boolean validForWire() {
        return !uid.isEmpty() && version > 0;
    }

    private static int parseInt(Element info, String tag, boolean required) {
        String s = Xml.childText(info, tag);
        if (s.isEmpty() && !required) return 0;
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stream-info field <" + tag + "> is not an integer: '" + s + "'");
        }
    }

    private static int parsePort(Element info, String tag) {
        int p = parseInt(info, tag, false);
        if (p < 0 || p > 65535) throw new IllegalArgumentException("stream-info field <" + tag + "> out of range: " + p);
        return p;
    }

    private static double parseDouble(Element info, String tag, double dflt) {
        String s = Xml.childText(info, tag);
        if (s.isEmpty()) return dflt;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stream-info field <" + tag + "> is not a number: '" + s + "'");
        }
    }

    @Override
    public String toString() {
        return "StreamInfo[name=" + name + ", type=" + type + ", channels=" + channelCount + ", srate=" + nominalSrate
                + ", format=" + channelFormat.lslName() + ", source_id=" + sourceId + ", uid=" + uid
                + (v4address.isEmpty() ? "" : ", at " + v4address + ":" + v4dataPort) + "]";
    }
}
