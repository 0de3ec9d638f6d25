package io.mindstream.formats.xdf;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;

/** Reads the few top-level fields XDF needs out of a stream's info XML (JDK's DOM parser, no external entities). */
public final class XdfXml {

    private XdfXml() {
    }

    /**
     * The text of each direct child of the root ({@code <name>}, {@code <channel_format>} …; the first of each name),
     * from one parse; throws {@link IllegalArgumentException} when the XML is malformed.
     */
    public static Map<String, String> fields(String xml) {
        Element root = root(xml);
        Map<String, String> out = new HashMap<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.putIfAbsent(e.getTagName(), e.getTextContent().trim());
            }
        }
        return out;
    }

    /** The field {@code name} of {@link #fields}; throws when it is missing. */
    public static String required(Map<String, String> fields, String name) {
        String v = fields.get(name);
        if (v == null) {
            throw new IllegalArgumentException("stream XML has no <" + name + ">");
        }
        return v;
    }

    static Element root(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalArgumentException("malformed stream XML: " + e.getMessage(), e);
        }
    }
}
