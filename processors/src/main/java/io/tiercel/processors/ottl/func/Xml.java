package io.tiercel.processors.ottl.func;

import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * XML documents for the XML converters: parsed by the JDK's parser with DTDs and external entities
 * refused, queried with XPath 1.0, written back as the collector writes them (no self-closing tags,
 * text trimmed and escaped as Go's xml.EscapeText does, the declaration kept only when the input
 * starts with one).
 */
final class Xml {
  private static final DocumentBuilderFactory FACTORY = factory();

  private Xml() {}

  private static DocumentBuilderFactory factory() {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    try {
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
    f.setXIncludeAware(false);
    f.setExpandEntityReferences(false);
    f.setCoalescing(false);
    f.setNamespaceAware(false);
    return f;
  }

  /** A parsed document and whether its text started with an XML declaration. */
  record Doc(Document document, boolean declaration, List<Node> extraTopLevel) {}

  static Doc parse(String text, String fn) {
    try {
      DocumentBuilder b = FACTORY.newDocumentBuilder();
      b.setErrorHandler(SILENT);
      Document d = b.parse(new InputSource(new StringReader(text)));
      return new Doc(d, text.startsWith("<?xml"), new ArrayList<>());
    } catch (ParserConfigurationException | IOException e) {
      throw new IllegalStateException(e);
    } catch (SAXException e) {
      throw new OttlRuntimeException(fn + ": parse xml: " + e.getMessage());
    }
  }

  /** Compiles an XPath 1.0 expression, or fails with "invalid xpath". */
  static XPathExpression xpath(String expr) throws XPathExpressionException {
    return XPathFactory.newInstance().newXPath().compile(expr);
  }

  static List<Node> select(XPathExpression expr, Node context, String fn) {
    try {
      NodeList l = (NodeList) expr.evaluate(context, XPathConstants.NODESET);
      List<Node> out = new ArrayList<>(l.getLength());
      for (int i = 0; i < l.getLength(); i++) {
        out.add(l.item(i));
      }
      return out;
    } catch (XPathExpressionException e) {
      throw new OttlRuntimeException(fn + ": " + e.getMessage());
    }
  }

  /** The document as text. */
  static String write(Doc doc) {
    StringBuilder sb = new StringBuilder();
    Document d = doc.document();
    if (doc.declaration()) {
      sb.append("<?xml version=\"").append(d.getXmlVersion()).append('"');
      if (d.getXmlEncoding() != null) {
        sb.append(" encoding=\"").append(d.getXmlEncoding()).append('"');
      }
      if (d.getXmlStandalone()) {
        sb.append(" standalone=\"yes\"");
      }
      sb.append("?>");
    }
    for (Node n = d.getFirstChild(); n != null; n = n.getNextSibling()) {
      write(sb, n);
    }
    doc.extraTopLevel().forEach(n -> write(sb, n));
    return sb.toString();
  }

  /** One node as the collector's xmlquery writes it. */
  static void write(StringBuilder sb, Node n) {
    switch (n.getNodeType()) {
      case Node.ELEMENT_NODE -> {
        sb.append('<').append(n.getNodeName());
        NamedNodeMap attrs = n.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
          Attr a = (Attr) attrs.item(i);
          sb.append(' ').append(a.getName()).append("=\"");
          escape(sb, a.getValue());
          sb.append('"');
        }
        sb.append('>');
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
          write(sb, c);
        }
        sb.append("</").append(n.getNodeName()).append('>');
      }
      case Node.TEXT_NODE -> escape(sb, n.getNodeValue().strip());
      case Node.CDATA_SECTION_NODE -> sb.append("<![CDATA[").append(n.getNodeValue()).append("]]>");
      case Node.COMMENT_NODE -> sb.append("<!--").append(n.getNodeValue()).append("-->");
      case Node.PROCESSING_INSTRUCTION_NODE ->
          sb.append("<?").append(n.getNodeName()).append(' ').append(n.getNodeValue()).append("?>");
      default -> {}
    }
  }

  /** Go's xml.EscapeText. */
  static void escape(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("&#34;");
        case '\'' -> sb.append("&#39;");
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '\t' -> sb.append("&#x9;");
        case '\n' -> sb.append("&#xA;");
        case '\r' -> sb.append("&#xD;");
        default -> sb.append(c);
      }
    }
  }

  /** The elements among {@code n} and its descendants, in document order. */
  static List<Element> elements(Node n) {
    List<Element> out = new ArrayList<>();
    collect(n, out);
    return out;
  }

  private static void collect(Node n, List<Element> out) {
    if (n instanceof Element e) {
      out.add(e);
    }
    for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
      collect(c, out);
    }
  }

  /** The text of {@code e}'s own text and CDATA children, each trimmed, joined. */
  static String ownText(Element e) {
    StringBuilder sb = new StringBuilder();
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c.getNodeType() == Node.TEXT_NODE || c.getNodeType() == Node.CDATA_SECTION_NODE) {
        sb.append(c.getNodeValue().strip());
      }
    }
    return sb.toString();
  }

  static boolean hasElementChild(Node n) {
    for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element) {
        return true;
      }
    }
    return false;
  }

  static @Nullable Element root(Doc doc) {
    return doc.document().getDocumentElement();
  }

  private static final ErrorHandler SILENT =
      new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXException {
          throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
          throw e;
        }
      };
}
