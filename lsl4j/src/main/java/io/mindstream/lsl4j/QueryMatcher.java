package io.mindstream.lsl4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

/**
 * Decides whether a discovery query matches an outlet: the query is an XPath 1.0 expression evaluated as a boolean
 * with the {@code <info>} element of the full document as context, as liblsl does with pugixml. Empty matches
 * everything; an invalid expression matches nothing. Results are cached (bounded, {@code MaxCachedQueries}).
 */
final class QueryMatcher {
    static final int MAX_QUERY_LENGTH = 8192;
    private final Supplier<String> fullXml;
    private final int maxCached;
    private final Map<String, Boolean> cache;

    QueryMatcher(Supplier<String> fullXml, int maxCached) {
        this.fullXml = fullXml;
        this.maxCached = Math.max(1, maxCached);
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > QueryMatcher.this.maxCached;
            }
        };
    }

    synchronized boolean matches(String query) {
        if (query.isBlank()) return true;
        if (query.length() > MAX_QUERY_LENGTH) return false;
        Boolean cached = cache.get(query);
        if (cached != null) return cached;
        boolean result = evaluate(fullXml.get(), query);
        cache.put(query, result);
        return result;
    }

    static boolean evaluate(String xml, String query) {
        if (query.isBlank()) return true;
        try {
            Document doc = Xml.parse(xml);
            XPathFactory xf = XPathFactory.newInstance();
            xf.setFeature(javax.xml.XMLConstants.FEATURE_SECURE_PROCESSING, true);
            XPath xp = xf.newXPath();
            Object r = xp.evaluate(query, doc.getDocumentElement(), XPathConstants.BOOLEAN);
            return Boolean.TRUE.equals(r);
        } catch (XPathExpressionException | javax.xml.xpath.XPathFactoryConfigurationException | IllegalArgumentException
                 | StackOverflowError e) {
            return false;
        }
    }
}
