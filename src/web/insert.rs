//! Putting text into a site's editor so that the editor's own state holds it (SITES.md):
//! editing the DOM directly is reverted by Draft.js and Lexical, so text goes in the way a
//! user's paste would.

use super::draft::DraftText;
use crate::sites::EditorKind;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    ClipboardEvent, ClipboardEventInit, DataTransfer, Element, Event, EventInit, HtmlElement,
    HtmlTextAreaElement,
};

/// Replaces the editor's whole text (`current`, as read) with `text`, line breaks kept.
pub fn replace_all(
    editor: &Element,
    kind: EditorKind,
    current: &DraftText,
    text: &str,
) -> Result<(), JsValue> {
    if let Some(area) = editor.dyn_ref::<HtmlTextAreaElement>() {
        return set_textarea(area, text);
    }
    let document = editor.owner_document().ok_or("editor has no document")?;
    if let Some(html) = editor.dyn_ref::<HtmlElement>() {
        html.focus()?;
    }
    // Select the draft's text nodes (Draft.js does not map a selection of the root's
    // children), and tell the editor now: Draft.js and Lexical sync their own selection
    // from `selectionchange`, which the browser would only send later.
    let selection = document.get_selection()?.ok_or("no selection")?;
    if let Some(all) = current.range(&document, 0, current.text.encode_utf16().count()) {
        selection.remove_all_ranges()?;
        selection.add_range(&all)?;
    }
    document.dispatch_event(&Event::new("selectionchange")?)?;
    match kind {
        EditorKind::Draft | EditorKind::Lexical | EditorKind::Prosemirror | EditorKind::Quill => {
            paste(editor, text)
        }
        EditorKind::Textarea => Err("a textarea editor must be a <textarea>".into()),
    }
}

fn paste(editor: &Element, text: &str) -> Result<(), JsValue> {
    let data = DataTransfer::new()?;
    data.set_data("text/plain", text)?;
    let init = ClipboardEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_composed(true);
    init.set_clipboard_data(Some(&data));
    let event = ClipboardEvent::new_with_event_init_dict("paste", &init)?;
    editor.dispatch_event(&event)?;
    Ok(())
}

/// React tracks a textarea's value through the prototype's setter: set it there, then say so.
fn set_textarea(area: &HtmlTextAreaElement, text: &str) -> Result<(), JsValue> {
    let prototype = Reflect::get(&js_sys::global(), &"HTMLTextAreaElement".into())?;
    let prototype = Reflect::get(&prototype, &"prototype".into())?;
    let descriptor =
        js_sys::Object::get_own_property_descriptor(&prototype.into(), &"value".into());
    let setter: js_sys::Function = Reflect::get(&descriptor, &"set".into())?.dyn_into()?;
    setter.call1(area, &text.into())?;
    let init = EventInit::new();
    init.set_bubbles(true);
    area.dispatch_event(&Event::new_with_event_init_dict("input", &init)?)?;
    Ok(())
}
