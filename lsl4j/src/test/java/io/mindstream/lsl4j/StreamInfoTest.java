package io.mindstream.lsl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Stream-info documents: field order and formatting as liblsl writes them, desc tree, XML round trip. */
class StreamInfoTest {

    @Test
    void documentHasLiblslFieldOrderAndFormatting() {
        StreamInfo si = new StreamInfo("MEG", "MEG", 306, 1000, ChannelFormat.FLOAT32, "meg-1");
        si.uid("0a1b2c3d-0000-4000-8000-000000000001");
        si.createdAt(12.5);
        si.hostname("host");
        si.v4dataPort(16572);
        si.v4servicePort(16572);
        String expected = "<?xml version=\"1.0\"?>\n<info>\n\t<name>MEG</name>\n\t<type>MEG</type>\n"
                + "\t<channel_count>306</channel_count>\n\t<channel_format>float32</channel_format>\n"
                + "\t<source_id>meg-1</source_id>\n\t<nominal_srate>1000.000000000000</nominal_srate>\n"
                + "\t<version>1.100000000000000</version>\n\t<created_at>12.50000000000000</created_at>\n"
                + "\t<uid>0a1b2c3d-0000-4000-8000-000000000001</uid>\n\t<session_id>default</session_id>\n"
                + "\t<hostname>host</hostname>\n\t<v4address></v4address>\n\t<v4data_port>16572</v4data_port>\n"
                + "\t<v4service_port>16572</v4service_port>\n\t<v6address></v6address>\n\t<v6data_port>0</v6data_port>\n"
                + "\t<v6service_port>0</v6service_port>\n\t<desc />\n</info>\n";
        assertEquals(expected, si.toXml());
        assertEquals(expected, si.toShortXml());
        assertEquals("100.0000000000000", Xml.g16(100));
        assertEquals("0.000000000000000", Xml.g16(0));
    }

    @Test
    void descTreeWithChannelsUnitsAndLocationsRoundTrips() {
        StreamInfo si = new StreamInfo("EEG & co", "EEG", 2, 250, ChannelFormat.DOUBLE64, "<src>");
        XmlElement chans = si.desc().appendChild("channels");
        for (String label : new String[] {"Fp1", "Fp2"}) {
            XmlElement ch = chans.appendChild("channel");
            ch.appendChildValue("label", label).appendChildValue("unit", "microvolts").appendChildValue("type", "EEG");
            ch.appendChild("location").appendChildValue("X", "1.5").appendChildValue("Y", "-2").appendChildValue("Z", "3");
        }
        si.desc().appendChildValue("manufacturer", "Acme \"quoted\"");
        String xml = si.toXml();
        assertTrue(xml.contains("<desc>\n\t\t<channels>\n\t\t\t<channel>\n\t\t\t\t<label>Fp1</label>"), xml);
        StreamInfo back = StreamInfo.fromXml(xml);
        assertEquals("EEG & co", back.name());
        assertEquals("<src>", back.sourceId());
        assertEquals(2, back.desc().child("channels").children("channel").size());
        XmlElement fp2 = back.desc().child("channels").children("channel").get(1);
        assertEquals("Fp2", fp2.childValue("label"));
        assertEquals("-2", fp2.child("location").childValue("Y"));
        assertEquals("Acme \"quoted\"", back.desc().childValue("manufacturer"));
        assertEquals(xml, back.toXml());
        assertTrue(back.desc().child("missing").child("deeper").isEmpty());
        assertEquals("", back.desc().child("missing").childValue("x"));
    }

    @Test
    void invalidDocumentsAreRejectedNamingTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StreamInfo.fromXml("<info><name>x</name>"
                + "<channel_count>abc</channel_count><channel_format>float32</channel_format></info>"))
                .getMessage().contains("channel_count"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StreamInfo.fromXml("<info><name>x</name>"
                + "<channel_count>1</channel_count><channel_format>float128</channel_format></info>"))
                .getMessage().contains("float128"));
        assertThrows(IllegalArgumentException.class, () -> StreamInfo.fromXml("<info><name>x"));
        assertThrows(IllegalArgumentException.class, () -> StreamInfo.fromXml(
                "<!DOCTYPE info [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><info><name>&e;</name></info>"));
        assertThrows(IllegalArgumentException.class, () -> new StreamInfo("", "T", 1, 1, ChannelFormat.INT8, ""));
        assertThrows(IllegalArgumentException.class, () -> new StreamInfo("n", "T", 0, 1, ChannelFormat.INT8, ""));
        assertThrows(IllegalArgumentException.class, () -> new StreamInfo("n", "T", 1, -1, ChannelFormat.INT8, ""));
    }

    @Test
    void liblslStyleHandWrittenDocumentIsAccepted() {
        StreamInfo si = StreamInfo.fromXml("<?xml version=\"1.0\"?><info><name>a</name><type/><channel_count>3"
                + "</channel_count><channel_format>int64</channel_format><nominal_srate>50</nominal_srate>"
                + "<version>1.1</version><uid>u</uid><v4data_port>1</v4data_port><v4service_port>2</v4service_port>"
                + "<v6data_port>0</v6data_port><v6service_port>0</v6service_port></info>");
        assertEquals(50.0, si.nominalSrate());
        assertEquals(1.1, si.version());
        assertEquals(ChannelFormat.INT64, si.channelFormat());
        assertTrue(si.validForWire());
    }

    /** One generated stream info: any name/type text, channel count, rate, format and one desc child. */
    record InfoCase(String name, String type, int channels, double srate, ChannelFormat format, String childName,
                    String childValue) {
        @Override
        public String toString() {
            return "name=\"" + RandomInputs.escape(name) + "\" type=\"" + RandomInputs.escape(type) + "\" channels="
                    + channels + " srate=" + srate + " format=" + format + " <" + childName + ">\""
                    + RandomInputs.escape(childValue) + "\"";
        }
    }

    static final int INFO_CASES = 200;

    static Stream<Arguments> infos() {
        RandomInputs in = new RandomInputs(0x5EED_1F0L);
        return IntStream.rangeClosed(1, INFO_CASES).mapToObj(i -> {
            InfoCase c = new InfoCase(in.string(1, 30), in.string(0, 20), in.between(1, 100000), in.between(0.0, 1e6),
                    in.pick(ChannelFormat.values()), in.alpha(1, 10), in.string(0, 40));
            return Arguments.of(in.caseName(i, INFO_CASES, c.channels() + " ch " + c.format()), c);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("infos")
    void anyInfoRoundTripsThroughXml(String caseName, InfoCase c) {
        RandomInputs.check(caseName, () -> {
            String cleanName = xmlSafe(c.name());
            if (cleanName.isBlank()) cleanName = "n";
            StreamInfo si = new StreamInfo(cleanName, xmlSafe(c.type()).strip(), c.channels(), c.srate(), c.format(), "id");
            si.desc().appendChild(c.childName()).setValue(xmlSafe(c.childValue()).strip());
            StreamInfo back = StreamInfo.fromXml(si.toXml());
            String where = c.toString();
            assertEquals(si.name().strip(), back.name(), where);
            assertEquals(si.type(), back.type(), where);
            assertEquals(c.channels(), back.channelCount(), where);
            assertEquals(c.format(), back.channelFormat(), where);
            assertEquals(Double.parseDouble(Xml.g16(c.srate())), back.nominalSrate(), where);
            assertEquals(si.desc().child(c.childName()).value(), back.desc().child(c.childName()).value(), where);
        });
    }

    /** Characters XML 1.0 can carry. */
    private static String xmlSafe(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().filter(c -> c == 0x9 || c == 0xA || c >= 0x20 && c < 0xD800 || c >= 0xE000 && c < 0xFFFE
                || c >= 0x10000).forEach(sb::appendCodePoint);
        return sb.toString().replace("\r", "");
    }
}
