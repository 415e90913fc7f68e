//! A small element tree over quick-xml's events: a document part is walked more than once
//! (styles, numbering, the body), and its rules (a style based on another, a merged cell
//! continued below) are easier to follow over a tree than over a stream. A part is at most
//! [`super::MAX_PART_BYTES`], and elements nested deeper than [`MAX_DEPTH`] are refused, so
//! neither the tree nor the walks over it can exhaust memory or the stack.

use quick_xml::events::{BytesStart, Event};

use super::NaskahError;

/// Elements nested deeper than this are refused: Word's own documents stay below 30.
pub(crate) const MAX_DEPTH: usize = 200;

/// An XML element: its qualified name as written (`w:p`), attributes and children.
#[derive(Debug, Default)]
pub(crate) struct Element {
    /// The qualified name (`w:p`, `text:p`).
    pub(crate) name: String,
    /// The attributes, qualified names and unescaped values, in document order.
    pub(crate) attrs: Vec<(String, String)>,
    /// The children, in order.
    pub(crate) children: Vec<Node>,
}

/// A child of an element.
#[derive(Debug)]
pub(crate) enum Node {
    /// An element.
    Element(Element),
    /// Text, unescaped.
    Text(String),
}

impl Element {
    /// The value of the attribute `name` (qualified, `w:val`).
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The child elements, in order.
    pub(crate) fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element named `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// The child elements named `name`.
    pub(crate) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.elements().filter(move |e| e.name == name)
    }

    /// The first element named `name` anywhere below, depth first.
    pub(crate) fn find(&self, name: &str) -> Option<&Element> {
        let mut stack: Vec<&Element> = self.elements().collect();
        stack.reverse();
        while let Some(e) = stack.pop() {
            if e.name == name {
                return Some(e);
            }
            let at = stack.len();
            stack.extend(e.elements());
            stack[at..].reverse();
        }
        None
    }

    /// The text of the element and everything below it.
    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        let mut stack: Vec<&Node> = self.children.iter().rev().collect();
        while let Some(node) = stack.pop() {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => stack.extend(e.children.iter().rev()),
            }
        }
        out
    }
}

/// Parses a part into its root element.
pub(crate) fn parse(bytes: &[u8], part: &str) -> Result<Element, NaskahError> {
    let xml_error = |source| NaskahError::Xml {
        part: part.to_string(),
        source,
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        xml_error(quick_xml::Error::Encoding(
            quick_xml::encoding::EncodingError::Utf8(e),
        ))
    })?;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().trim_text(false);
    // The open elements; the bottom one collects the root.
    let mut open: Vec<Element> = vec![Element::default()];
    loop {
        let event = reader.read_event().map_err(xml_error)?;
        match event {
            Event::Start(start) => {
                if open.len() > MAX_DEPTH {
                    return Err(NaskahError::TooDeep {
                        part: part.to_string(),
                        limit: MAX_DEPTH,
                    });
                }
                open.push(element(&start).map_err(xml_error)?);
            }
            Event::Empty(start) => {
                let e = element(&start).map_err(xml_error)?;
                push(&mut open, Node::Element(e));
            }
            Event::End(_) => {
                if open.len() > 1
                    && let Some(done) = open.pop()
                {
                    push(&mut open, Node::Element(done));
                }
            }
            Event::Text(t) => push_str(&mut open, &t),
            Event::CData(t) => push_str(&mut open, &t),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(xml_error)? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r)
                        .unwrap_or_default()
                        .to_string(),
                };
                push_str(&mut open, &resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut bottom = open.swap_remove(0);
    bottom
        .children
        .drain(..)
        .find_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
        .ok_or(NaskahError::NoDocument {
            part: "elemen akar",
        })
}

fn element(start: &BytesStart) -> Result<Element, quick_xml::Error> {
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(quick_xml::Error::InvalidAttr)?;
        let name = attr.key.as_ref().to_string();
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)?
            .into_owned();
        attrs.push((name, value));
    }
    let name = start.name().as_ref().to_string();
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
    })
}

fn push(open: &mut [Element], node: Node) {
    if let Some(top) = open.last_mut() {
        top.children.push(node);
    }
}

fn push_str(open: &mut [Element], text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(top) = open.last_mut() {
        if let Some(Node::Text(last)) = top.children.last_mut() {
            last.push_str(text);
        } else {
            top.children.push(Node::Text(text.to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_references_are_unescaped_and_kept_as_written() {
        let root = parse(
            br#"<?xml version="1.0"?><a x="1 &amp; 2"><b>&lt;#read&gt; &#x41;&#66;</b><c/> z </a>"#,
            "t.xml",
        )
        .expect("well-formed");
        assert_eq!(root.name, "a");
        assert_eq!(root.attr("x"), Some("1 & 2"));
        assert_eq!(root.text(), "<#read> AB z ");
        assert_eq!(root.elements().count(), 2);
    }

    #[test]
    fn malformed_and_deep_documents_are_errors_not_panics() {
        assert!(matches!(
            parse(b"<a><b></a>", "t.xml"),
            Err(NaskahError::Xml { .. })
        ));
        assert!(matches!(
            parse(b"\xff\xfe<a/>", "t.xml"),
            Err(NaskahError::Xml { .. })
        ));
        let deep = "<a>".repeat(MAX_DEPTH + 5) + &"</a>".repeat(MAX_DEPTH + 5);
        assert!(matches!(
            parse(deep.as_bytes(), "t.xml"),
            Err(NaskahError::TooDeep { .. })
        ));
    }
}
