//! Reading the draft out of a site's editor as plain text, with UTF-16 offsets that match
//! what the DOM counts. Each editor kind keeps its text in its own shape.

use crate::sites::EditorKind;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlTextAreaElement};

/// The editor's text: blocks (Draft.js) or paragraphs (Lexical, ProseMirror, Quill) joined
/// by `\n`, or a textarea's value.
pub fn read(editor: &Element, kind: EditorKind) -> String {
    if let Some(area) = editor.dyn_ref::<HtmlTextAreaElement>() {
        return area.value();
    }
    let blocks = match kind {
        EditorKind::Draft => "[data-block=\"true\"]",
        EditorKind::Lexical | EditorKind::Prosemirror | EditorKind::Quill => ":scope > *",
        EditorKind::Textarea => return editor.text_content().unwrap_or_default(),
    };
    let Ok(list) = editor.query_selector_all(blocks) else {
        return editor.text_content().unwrap_or_default();
    };
    if list.length() == 0 {
        return editor.text_content().unwrap_or_default();
    }
    let mut text = String::new();
    for i in 0..list.length() {
        if i > 0 {
            text.push('\n');
        }
        if let Some(block) = list.item(i) {
            text.push_str(&block.text_content().unwrap_or_default());
        }
    }
    text
}
