package io.mindstream.lsl4j;

import java.io.IOException;
import java.io.StringReader;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/** XML parsing (hardened: no DTDs, no external entities) and liblsl-compatible number formatting. */
final class Xml {
    private Xml() {
    }

    static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("malformed stream-info XML: " + e.getMessage(), e);
        }
    }

    /** Converts a DOM element (recursively) into an {@link XmlElement} appended under {@code parent}. */
    static void copyChildren(Element from, XmlElement to) {
        for (Node n = from.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE) {
                XmlElement c = to.appendChild(n.getNodeName());
                Element e = (Element) n;
                copyChildren(e, c);
                c.setValue(directText(e));
            }
        }
    }

    /** The concatenated text nodes directly under {@code e}, trimmed when they are only formatting whitespace. */
    static String directText(Element e) {
        StringBuilder sb = new StringBuilder();
        boolean hasElements = false;
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            short t = n.getNodeType();
            if (t == Node.TEXT_NODE || t == Node.CDATA_SECTION_NODE) sb.append(n.getNodeValue());
            else if (t == Node.ELEMENT_NODE) hasElements = true;
        }
        String s = sb.toString();
        return hasElements || s.isBlank() ? s.strip() : s;
    }

    static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE && n.getNodeName().equals(name)) return (Element) n;
        }
        return null;
    }

    static String childText(Element parent, String name) {
        Element c = child(parent, name);
        return c == null ? "" : c.getTextContent().strip();
    }

    /** C++ iostream {@code precision(16)} fixed-looking output as liblsl writes it: 16 significant digits. */
    static String g16(double x) {
        if (!Double.isFinite(x)) return Double.toString(x);
        if (x == 0) return "0.000000000000000";
        int intDigits = (int) Math.floor(Math.log10(Math.abs(x))) + 1;
        int scale = 16 - Math.max(intDigits, 1);
        if (intDigits > 16 || scale > 30) return Double.toString(x);
        return String.format(Locale.ROOT, "%." + scale + "f", x);
    }
}
