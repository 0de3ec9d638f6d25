package io.mindstream.lsl4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A node of the free-form {@code <desc>} tree of a {@link StreamInfo} (channel labels, units, sensor locations,
 * ...), as liblsl's {@code xml_element}. A node has a name, an optional text value and ordered children.
 * Looking up a missing child yields an empty, detached element ({@link #isEmpty()}) so lookups can be chained
 * like {@code desc().child("channels").child("channel").childValue("label")} without null checks.
 */
public final class XmlElement {
    private final String name;
    private String value = "";
    private final List<XmlElement> children = new ArrayList<>();
    private final boolean empty;

    XmlElement(String name) {
        this(name, false);
    }

    private XmlElement(String name, boolean empty) {
        this.name = Objects.requireNonNull(name, "name");
        this.empty = empty;
    }

    private static XmlElement none() {
        return new XmlElement("", true);
    }

    /** The element name, e.g. {@code channel}; "" for an empty (missing) element. */
    public String name() {
        return name;
    }

    /** The text content; "" when there is none. */
    public String value() {
        return value;
    }

    /** True for the placeholder returned when a looked-up child does not exist. */
    public boolean isEmpty() {
        return empty;
    }

    /** Sets the text content and returns this element. */
    public XmlElement setValue(String value) {
        checkMutable();
        this.value = value == null ? "" : value;
        return this;
    }

    /** Appends a new child element named {@code name} and returns the child. */
    public XmlElement appendChild(String name) {
        checkMutable();
        checkName(name);
        XmlElement c = new XmlElement(name);
        children.add(c);
        return c;
    }

    /** Appends a child {@code <name>value</name>} and returns this element (for chaining, as liblsl). */
    public XmlElement appendChildValue(String name, String value) {
        appendChild(name).setValue(value);
        return this;
    }

    /** The first child named {@code name}, or an empty element when there is none. */
    public XmlElement child(String name) {
        for (XmlElement c : children) {
            if (c.name.equals(name)) return c;
        }
        return none();
    }

    /** The text of the first child named {@code name}, or "" when there is none. */
    public String childValue(String name) {
        return child(name).value;
    }

    /** All children in document order (read-only view). */
    public List<XmlElement> children() {
        return Collections.unmodifiableList(children);
    }

    /** The children named {@code name}, in document order. */
    public List<XmlElement> children(String name) {
        List<XmlElement> out = new ArrayList<>();
        for (XmlElement c : children) {
            if (c.name.equals(name)) out.add(c);
        }
        return out;
    }

    /** Removes a direct child; returns whether it was present. */
    public boolean removeChild(XmlElement child) {
        checkMutable();
        return children.removeIf(c -> c == child);
    }

    XmlElement copy() {
        XmlElement c = new XmlElement(name, empty);
        c.value = value;
        for (XmlElement k : children) c.children.add(k.copy());
        return c;
    }

    private void checkMutable() {
        if (empty) throw new IllegalStateException("cannot modify a missing (empty) XML element");
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || !isNameStart(name.charAt(0)))
            throw new IllegalArgumentException("invalid XML element name '" + name + "'");
        for (int i = 1; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (!(isNameStart(ch) || Character.isDigit(ch) || ch == '-' || ch == '.'))
                throw new IllegalArgumentException("invalid XML element name '" + name + "'");
        }
    }

    private static boolean isNameStart(char ch) {
        return Character.isLetter(ch) || ch == '_' || ch == ':';
    }

    /** Writes this element pugixml-style: tab indentation, {@code <x />} when it has neither value nor children. */
    void write(StringBuilder sb, int depth) {
        indent(sb, depth);
        sb.append('<').append(name);
        if (value.isEmpty() && children.isEmpty()) {
            sb.append(" />\n");
            return;
        }
        sb.append('>');
        escape(sb, value);
        if (children.isEmpty()) {
            sb.append("</").append(name).append(">\n");
            return;
        }
        sb.append('\n');
        for (XmlElement c : children) c.write(sb, depth + 1);
        indent(sb, depth);
        sb.append("</").append(name).append(">\n");
    }

    static void indent(StringBuilder sb, int depth) {
        for (int i = 0; i < depth; i++) sb.append('\t');
    }

    static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(ch);
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        write(sb, 0);
        return sb.toString();
    }
}
