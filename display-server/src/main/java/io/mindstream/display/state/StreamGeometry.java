package io.mindstream.display.state;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * A volume's dimensions as a stream description gives them ({@code <info><desc><geometry><dimensions>nx ny
 * nz</dimensions>}, what ingest's scanner-folder source and the simulator write), read with the JDK's parser, DTDs
 * and external entities refused (the XML comes from an acquisition source).
 */
public final class StreamGeometry {

    private StreamGeometry() {
    }

    /** {@code {nx, ny, nz}}, or null when the description gives no dimensions (or not three positive numbers). */
    public static int[] dimensions(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            Element dims = child(child(child(doc.getDocumentElement(), "desc"), "geometry"), "dimensions");
            if (dims == null) {
                return null;
            }
            String[] words = dims.getTextContent().trim().split("\\s+");
            if (words.length != 3) {
                return null;
            }
            int[] out = new int[3];
            for (int i = 0; i < 3; i++) {
                out[i] = Integer.parseInt(words[i]);
                if (out[i] < 1) {
                    return null;
                }
            }
            return out;
        } catch (Exception e) {
            return null;
        }
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }
}
