package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Args.str;
import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * The XML converters: ParseXML, ParseSimplifiedXML, GetXML, InsertXML, RemoveXML,
 * ConvertAttributesToElementsXML and ConvertTextToElementsXML.
 */
final class XmlFunctions {
  private XmlFunctions() {}

  static void register(FunctionRegistry.Builder registry) {
    registry.converter(
        "ParseXML",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> element(Xml.root(Xml.parse(str(t.get(c), "ParseXML"), "ParseXML")));
        },
        required("target", ParamKind.ANY));
    registry.converter(
        "ParseSimplifiedXML",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            Element root =
                Xml.root(Xml.parse(str(t.get(c), "ParseSimplifiedXML"), "ParseSimplifiedXML"));
            Map<String, Object> out = new LinkedHashMap<>();
            Object v = simplified(root);
            if (v != null) {
              out.put(root.getTagName(), v);
            }
            return out;
          };
        },
        required("target", ParamKind.ANY));
    registry.converter(
        "GetXML",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          XPathExpression xpath = xpath((String) a[1], cols[1]);
          return c -> {
            Xml.Doc doc = Xml.parse(str(t.get(c), "GetXML"), "GetXML");
            StringBuilder sb = new StringBuilder();
            for (Node n : Xml.select(xpath, doc.document(), "GetXML")) {
              if (n instanceof Element) {
                Xml.write(sb, n);
              } else if (n.getNodeType() != Node.DOCUMENT_NODE) {
                sb.append(n.getNodeValue());
              }
            }
            return sb.toString();
          };
        },
        required("target", ParamKind.ANY),
        required("xpath", ParamKind.STR_LIT));
    registry.converter(
        "InsertXML",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          XPathExpression xpath = xpath((String) a[1], cols[1]);
          Getter value = (Getter) a[2];
          return c -> {
            Xml.Doc doc = Xml.parse(str(t.get(c), "InsertXML"), "InsertXML");
            Element wrapper =
                Xml.root(
                    Xml.parse(
                        "<tiercel-insert>" + str(value.get(c), "InsertXML") + "</tiercel-insert>",
                        "InsertXML"));
            Document d = doc.document();
            for (Node n : Xml.select(xpath, d, "InsertXML")) {
              for (Node add = wrapper.getFirstChild(); add != null; add = add.getNextSibling()) {
                Node copy = d.importNode(add, true);
                if (n instanceof Element) {
                  n.appendChild(copy);
                } else if (n == d) {
                  if (d.getDocumentElement() == null) {
                    d.appendChild(copy);
                  } else {
                    doc.extraTopLevel().add(copy);
                  }
                }
              }
            }
            return Xml.write(doc);
          };
        },
        required("target", ParamKind.ANY),
        required("xpath", ParamKind.STR_LIT),
        required("value", ParamKind.ANY));
    registry.converter(
        "RemoveXML",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          XPathExpression xpath = xpath((String) a[1], cols[1]);
          return c -> {
            String text = str(t.get(c), "RemoveXML");
            if (text.isBlank()) {
              return text;
            }
            Xml.Doc doc = Xml.parse(text, "RemoveXML");
            for (Node n : Xml.select(xpath, doc.document(), "RemoveXML")) {
              switch (n.getNodeType()) {
                case Node.ATTRIBUTE_NODE -> {
                  Attr attr = (Attr) n;
                  attr.getOwnerElement().removeAttributeNode(attr);
                }
                case Node.TEXT_NODE -> n.setNodeValue("");
                case Node.ELEMENT_NODE, Node.COMMENT_NODE, Node.CDATA_SECTION_NODE -> {
                  if (n.getParentNode() != null) {
                    n.getParentNode().removeChild(n);
                  }
                }
                default -> {}
              }
            }
            return Xml.write(doc);
          };
        },
        required("target", ParamKind.ANY),
        required("xpath", ParamKind.STR_LIT));
    registry.converter(
        "ConvertAttributesToElementsXML",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          XPathExpression xpath = xpath(a[1] == null ? "/" : (String) a[1], cols[1]);
          return c -> {
            String fn = "ConvertAttributesToElementsXML";
            Xml.Doc doc = Xml.parse(str(t.get(c), fn), fn);
            Document d = doc.document();
            for (Node n : Xml.select(xpath, d, fn)) {
              for (Element e : Xml.elements(n)) {
                NamedNodeMap attrs = e.getAttributes();
                List<Attr> moved = new ArrayList<>();
                for (int i = 0; i < attrs.getLength(); i++) {
                  moved.add((Attr) attrs.item(i));
                }
                for (Attr attr : moved) {
                  Element child = d.createElement(attr.getName());
                  child.appendChild(d.createTextNode(attr.getValue()));
                  e.appendChild(child);
                  e.removeAttributeNode(attr);
                }
              }
            }
            return Xml.write(doc);
          };
        },
        required("target", ParamKind.ANY),
        optional("xpath", ParamKind.STR_LIT));
    registry.converter(
        "ConvertTextToElementsXML",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          XPathExpression xpath = xpath(a[1] == null ? "/" : (String) a[1], cols[1]);
          String name = a[2] == null ? "value" : (String) a[2];
          return c -> {
            String fn = "ConvertTextToElementsXML";
            Xml.Doc doc = Xml.parse(str(t.get(c), fn), fn);
            Document d = doc.document();
            for (Node n : Xml.select(xpath, d, fn)) {
              for (Element e : Xml.elements(n)) {
                if (!Xml.hasElementChild(e)) {
                  continue;
                }
                List<Node> texts = new ArrayList<>();
                for (Node ch = e.getFirstChild(); ch != null; ch = ch.getNextSibling()) {
                  if ((ch.getNodeType() == Node.TEXT_NODE
                          || ch.getNodeType() == Node.CDATA_SECTION_NODE)
                      && !ch.getNodeValue().isBlank()) {
                    texts.add(ch);
                  }
                }
                for (Node text : texts) {
                  Element wrap = d.createElement(name);
                  e.replaceChild(wrap, text);
                  wrap.appendChild(text);
                }
              }
            }
            return Xml.write(doc);
          };
        },
        required("target", ParamKind.ANY),
        optional("xpath", ParamKind.STR_LIT),
        optional("elementName", ParamKind.STR_LIT));
  }

  private static XPathExpression xpath(String expr, int col) {
    try {
      return Xml.xpath(expr);
    } catch (XPathExpressionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String why = cause.getMessage() != null ? cause.getMessage().strip() : cause.toString();
      throw new CompileError(col, "invalid xpath \"" + expr + "\": " + why);
    }
  }

  /**
   * ParseXML's form of an element: tag, content, attributes and children (the last three if any).
   */
  private static Map<String, Object> element(Element e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tag", e.getTagName());
    String content = Xml.ownText(e);
    if (!content.isEmpty()) {
      out.put("content", content);
    }
    NamedNodeMap attrs = e.getAttributes();
    if (attrs.getLength() > 0) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < attrs.getLength(); i++) {
        m.put(attrs.item(i).getNodeName(), attrs.item(i).getNodeValue());
      }
      out.put("attributes", m);
    }
    List<Object> children = new ArrayList<>();
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element child) {
        children.add(element(child));
      }
    }
    if (!children.isEmpty()) {
      out.put("children", children);
    }
    return out;
  }

  /**
   * ParseSimplifiedXML's value of an element: its text when it has no child elements (null when
   * empty), else a map of its children by tag, repeated tags (empty ones included) as a slice.
   */
  private static @Nullable Object simplified(Element e) {
    if (!Xml.hasElementChild(e)) {
      String text = Xml.ownText(e);
      return text.isEmpty() ? null : text;
    }
    Map<String, List<Object>> byTag = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element child) {
        counts.merge(child.getTagName(), 1, Integer::sum);
        List<Object> values = byTag.computeIfAbsent(child.getTagName(), k -> new ArrayList<>());
        Object v = simplified(child);
        if (v != null) {
          values.add(v);
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    byTag.forEach(
        (tag, values) -> {
          if (counts.get(tag) > 1) {
            out.put(tag, values);
          } else if (!values.isEmpty()) {
            out.put(tag, values.get(0));
          }
        });
    return out;
  }
}
