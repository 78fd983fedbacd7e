//! Reading the draft out of a site's editor as plain text, with a map from UTF-16 offsets
//! in that text back to the DOM text nodes, so findings can be underlined and the caret
//! located without touching the editor's DOM.

use crate::sites::EditorKind;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlTextAreaElement, Node, Range};

/// A run of the draft that lives in one DOM text node.
struct Piece {
    node: Node,
    start: u32,
    len: u32,
}

/// The draft as text plus where each run of it lives in the page.
pub struct DraftText {
    pub text: String,
    pieces: Vec<Piece>,
}

enum Item {
    Text(Node, String),
    Break,
}

/// Reads the editor: Draft.js blocks or paragraphs joined by `\n`, `<br>` inside a block as
/// `\n` (trailing ones are the editors' placeholders for empty lines and are skipped), or a
/// textarea's value (which has no text nodes to map).
pub fn read(editor: &Element, kind: EditorKind) -> DraftText {
    if let Some(area) = editor.dyn_ref::<HtmlTextAreaElement>() {
        return DraftText {
            text: area.value(),
            pieces: Vec::new(),
        };
    }
    let blocks: Vec<Node> = match kind {
        EditorKind::Draft => editor
            .query_selector_all("[data-block=\"true\"]")
            .map(|list| (0..list.length()).filter_map(|i| list.item(i)).collect())
            .unwrap_or_default(),
        _ => {
            let children = editor.children();
            (0..children.length())
                .filter_map(|i| children.item(i))
                .map(Node::from)
                .collect()
        }
    };
    let blocks = if blocks.is_empty() {
        vec![Node::from(editor.clone())]
    } else {
        blocks
    };
    let mut draft = DraftText {
        text: String::new(),
        pieces: Vec::new(),
    };
    let mut units = 0u32;
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            draft.text.push('\n');
            units += 1;
        }
        let mut items = Vec::new();
        collect(block, &mut items);
        while matches!(items.last(), Some(Item::Break)) {
            items.pop();
        }
        for item in items {
            match item {
                Item::Break => {
                    draft.text.push('\n');
                    units += 1;
                }
                Item::Text(node, text) => {
                    let len = text.encode_utf16().count() as u32;
                    draft.text.push_str(&text);
                    draft.pieces.push(Piece {
                        node,
                        start: units,
                        len,
                    });
                    units += len;
                }
            }
        }
    }
    draft
}

fn collect(node: &Node, items: &mut Vec<Item>) {
    let children = node.child_nodes();
    for i in 0..children.length() {
        let Some(child) = children.item(i) else {
            continue;
        };
        match child.node_type() {
            Node::TEXT_NODE => {
                let text = child.node_value().unwrap_or_default();
                if !text.is_empty() {
                    items.push(Item::Text(child, text));
                }
            }
            Node::ELEMENT_NODE if child.node_name().eq_ignore_ascii_case("br") => {
                items.push(Item::Break)
            }
            Node::ELEMENT_NODE => collect(&child, items),
            _ => {}
        }
    }
}

impl DraftText {
    /// A DOM range over UTF-16 units `start..end` of the text, if they lie in text nodes.
    pub fn range(&self, document: &Document, start: usize, end: usize) -> Option<Range> {
        let (start, end) = (start as u32, end as u32);
        let first = self
            .pieces
            .iter()
            .find(|p| start >= p.start && start < p.start + p.len)?;
        let last = self
            .pieces
            .iter()
            .rev()
            .find(|p| end > p.start && end <= p.start + p.len)?;
        let range = document.create_range().ok()?;
        range.set_start(&first.node, start - first.start).ok()?;
        range.set_end(&last.node, end - last.start).ok()?;
        Some(range)
    }

    /// The UTF-16 offset in the text of a DOM position (as a selection reports it).
    pub fn offset_of(&self, node: &Node, offset: u32) -> Option<usize> {
        let piece = self.pieces.iter().find(|p| p.node == *node)?;
        Some((piece.start + offset.min(piece.len)) as usize)
    }
}
