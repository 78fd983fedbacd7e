//! The suggestions box next to a reply editor, in Tact's shadow root: the best replies,
//! numbered for Alt+1…3, or a discreet line when nothing fits. Built with `createElement`
//! and `textContent` only: the filled replies carry page text (names, handles).

use super::i18n;
use super::overlay::{element, Overlay};
use crate::reply::{Action, Suggestions};
use crate::report::Verdict;
use crate::text::lang::Lang;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, HtmlElement, MouseEvent};

const STYLE: &str = include_str!("suggest.css");
/// Width of the box when it sits beside the editor, and the least room that allows it.
const SIDE_WIDTH: f64 = 320.0;
const SIDE_MIN: f64 = 200.0;
const GAP: f64 = 10.0;

/// A drawn box; dropping it leaves the element, [`View::remove`] takes it away.
pub struct View {
    element: HtmlElement,
    _listeners: Vec<Closure<dyn FnMut(Event)>>,
}

/// Adds the box's style to the overlay once.
pub fn install_style(overlay: &Overlay) -> Result<(), JsValue> {
    let document = overlay.document().ok_or("overlay has no document")?;
    let style = document.create_element("style")?;
    style.set_text_content(Some(STYLE));
    overlay.root.append_child(&style)?;
    Ok(())
}

/// The interface name of an intent: the default intents are translated, the team's own
/// are shown as written.
fn intent_label(intent: &str) -> String {
    let key = format!("intent_{intent}");
    let label = i18n::text(&key, &[]);
    if label == key {
        intent.replace('_', " ")
    } else {
        label
    }
}

fn action_label(action: Action) -> String {
    i18n::text(
        match action {
            Action::Hide => "suggestHide",
            Action::Ignore => "suggestIgnore",
            Action::Escalate => "suggestEscalate",
        },
        &[],
    )
}

impl View {
    /// Draws `found` (with each reply's charter verdict); `choose(n)` runs when item `n`
    /// is clicked. A press on an item never takes the focus from the editor.
    pub fn draw(
        overlay: &Overlay,
        found: &Suggestions,
        verdicts: &[Verdict],
        choose: Rc<dyn Fn(usize)>,
    ) -> Result<View, JsValue> {
        let document = overlay.document().ok_or("overlay has no document")?;
        let root = element(&document, "div", "suggestions")?;
        root.set_attribute("role", "group")?;
        root.set_attribute("aria-label", &i18n::text("suggestTitle", &[]))?;
        if found.lang != Lang::Unknown {
            root.set_attribute("lang", found.lang.as_str())?;
        }
        let head = element(&document, "div", "")?;
        head.set_class_name("head");
        root.append_child(&head)?;
        let mut listeners = Vec::new();
        match &found.intent {
            Some(intent) if !found.suggestions.is_empty() => {
                root.set_attribute("data-tact-intent", intent)?;
                head.set_text_content(Some(&i18n::text(
                    "suggestTitleIntent",
                    &[&intent_label(intent)],
                )));
                let keys = element(&document, "span", "")?;
                keys.set_class_name("keys");
                let keys_text = match found.suggestions.len() {
                    1 => i18n::text("suggestKey", &[]),
                    n => i18n::text("suggestKeys", &[&n.to_string()]),
                };
                keys.set_text_content(Some(&keys_text));
                head.append_child(&keys)?;
            }
            _ => {
                root.set_attribute("data-tact-state", "empty")?;
                head.set_text_content(Some(&i18n::text("suggestNone", &[])));
            }
        }
        for (n, suggestion) in found.suggestions.iter().enumerate() {
            let item = element(&document, "button", "suggestion")?;
            item.set_attribute("type", "button")?;
            item.set_attribute("data-tact-template", &suggestion.template)?;
            let verdict = verdicts.get(n).copied().unwrap_or(Verdict::Pass);
            item.set_attribute("data-tact-verdict", verdict.as_str())?;
            let key = element(&document, "span", "")?;
            key.set_class_name("key");
            key.set_text_content(Some(&(n + 1).to_string()));
            item.append_child(&key)?;
            let body = element(&document, "span", "")?;
            body.set_class_name("body");
            if let Some(action) = suggestion.action {
                item.set_attribute("data-tact-action", action_as_str(action))?;
                let note = element(&document, "span", "")?;
                note.set_class_name("action");
                note.set_text_content(Some(&action_label(action)));
                body.append_child(&note)?;
            }
            if !suggestion.text.is_empty() {
                let text = element(&document, "span", "")?;
                text.set_class_name("text");
                text.set_text_content(Some(&suggestion.text));
                body.append_child(&text)?;
            }
            if verdict != Verdict::Pass {
                let warn = element(&document, "span", "")?;
                warn.set_class_name("charter");
                warn.set_text_content(Some(&i18n::text("suggestCharter", &[])));
                body.append_child(&warn)?;
            }
            item.append_child(&body)?;
            let keep_focus = Closure::<dyn FnMut(Event)>::new(|event: Event| {
                if event.dyn_ref::<MouseEvent>().is_some() {
                    event.prevent_default();
                }
            });
            item.add_event_listener_with_callback(
                "mousedown",
                keep_focus.as_ref().unchecked_ref(),
            )?;
            let choose = choose.clone();
            let click = Closure::<dyn FnMut(Event)>::new(move |_| choose(n));
            item.add_event_listener_with_callback("click", click.as_ref().unchecked_ref())?;
            listeners.push(keep_focus);
            listeners.push(click);
            root.append_child(&item)?;
        }
        overlay.root.append_child(&root)?;
        Ok(View {
            element: root,
            _listeners: listeners,
        })
    }

    /// Beside the editor (right, else left) when the viewport has room, else below it.
    /// Fixed positioning: this runs again after scrolls, resizes and page changes.
    pub fn place(&self, editor: &Element) {
        let rect = editor.get_bounding_client_rect();
        let viewport = web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|w| w.as_f64())
            .unwrap_or(0.0);
        let style = self.element.style();
        let visible = rect.width() > 0.0 && rect.height() > 0.0;
        let _ = style.set_property("display", if visible { "block" } else { "none" });
        let right_room = viewport - rect.right() - 2.0 * GAP;
        let left_room = rect.left() - 2.0 * GAP;
        let (left, top, width) = if right_room >= SIDE_MIN {
            (rect.right() + GAP, rect.top(), right_room.min(SIDE_WIDTH))
        } else if left_room >= SIDE_MIN {
            let width = left_room.min(SIDE_WIDTH);
            (rect.left() - GAP - width, rect.top(), width)
        } else {
            (rect.left(), rect.bottom() + GAP, rect.width().max(SIDE_MIN))
        };
        let _ = style.set_property("left", &format!("{}px", left.max(0.0)));
        let _ = style.set_property("top", &format!("{}px", top.max(0.0)));
        let _ = style.set_property("width", &format!("{width}px"));
    }

    pub fn remove(&self) {
        self.element.remove();
    }
}

fn action_as_str(action: Action) -> &'static str {
    match action {
        Action::Hide => "hide",
        Action::Ignore => "ignore",
        Action::Escalate => "escalate",
    }
}
