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

/// Focuses the editor now and replaces its text on the next task, then runs `after`.
/// Focusing Draft.js updates its state, and until React has rendered that, Draft.js
/// ignores selection events; the draft is re-read then, as it may have changed.
pub fn replace_next_task(
    editor: Element,
    kind: EditorKind,
    text: String,
    after: impl FnOnce(&Element) + 'static,
) {
    if let Some(html) = editor.dyn_ref::<HtmlElement>() {
        let _ = html.focus();
    }
    let insert = move || {
        let current = super::draft::read(&editor, kind);
        if let Err(error) = replace_all(&editor, kind, &current, &text) {
            web_sys::console::error_2(&"Tact: could not insert the text".into(), &error);
        }
        after(&editor);
    };
    let callback = wasm_bindgen::closure::Closure::once_into_js(insert);
    if let Some(window) = web_sys::window() {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), 0);
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
