//! The guard panel (`data-tact="guard"`): what is wrong with the draft, what to write
//! instead, and the CM's decision. A labelled dialog, keyboard operable (Tab stays inside,
//! Escape = edit), whose keys never reach the site's own shortcuts.

use super::i18n;
use super::overlay::{element, Overlay};
use crate::report::{Finding, Report};
use wasm_bindgen::prelude::*;
use web_sys::{Event, HtmlButtonElement, HtmlElement, HtmlTextAreaElement, KeyboardEvent};

/// What the CM did in the panel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Action {
    Edit,
    SendAnyway,
    /// Apply the suggestion of finding N (index in the report).
    Apply(usize),
}

pub struct Panel {
    element: HtmlElement,
    send: HtmlButtonElement,
    reason: Option<HtmlTextAreaElement>,
    _listeners: Vec<Closure<dyn FnMut(Event)>>,
}

type Handler = std::rc::Rc<dyn Fn(Action)>;

fn button(
    document: &web_sys::Document,
    role: &str,
    label: &str,
) -> Result<HtmlButtonElement, JsValue> {
    let button: HtmlButtonElement = element(document, "button", role)?.dyn_into()?;
    button.set_type("button");
    button.set_text_content(Some(label));
    Ok(button)
}

fn finding_item(document: &web_sys::Document, finding: &Finding) -> Result<HtmlElement, JsValue> {
    let item = element(document, "li", "finding")?;
    let severity = serde_json::to_value(finding.severity)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    item.set_attribute("data-tact-rule", &finding.rule)?;
    item.set_attribute("data-tact-severity", &severity)?;
    let badge = element(document, "span", "")?;
    badge.set_class_name("severity");
    badge.set_text_content(Some(&i18n::text(&format!("severity_{severity}"), &[])));
    let excerpt = element(document, "span", "")?;
    excerpt.set_class_name("excerpt");
    excerpt.set_text_content(Some(&format!("« {} »", finding.excerpt)));
    let message = element(document, "span", "")?;
    message.set_class_name("message");
    message.set_text_content(Some(&finding.message));
    item.append_child(&badge)?;
    item.append_child(&excerpt)?;
    item.append_child(&message)?;
    Ok(item)
}

impl Panel {
    /// Draws the panel for `report`; `need_reason` asks for a written reason before
    /// "send anyway" is enabled. `replaceable[i]` says whether finding i's suggestion is a
    /// replacement for its words (a button) rather than a rewrite hint (text).
    pub fn open(
        overlay: &Overlay,
        report: &Report,
        replaceable: &[bool],
        need_reason: bool,
        on: Handler,
    ) -> Result<Panel, JsValue> {
        let document = overlay.document().ok_or("overlay has no document")?;
        let panel = element(&document, "div", "guard")?;
        panel.set_attribute("role", "dialog")?;
        panel.set_attribute("aria-modal", "true")?;
        panel.set_attribute("aria-labelledby", "tact-guard-title")?;
        panel.set_attribute("aria-describedby", "tact-guard-intro")?;
        panel.set_attribute("data-tact-verdict", report.verdict.as_str())?;
        let title = element(&document, "h2", "")?;
        title.set_id("tact-guard-title");
        title.set_text_content(Some(&i18n::text("guardTitle", &[])));
        let intro = element(&document, "p", "")?;
        intro.set_id("tact-guard-intro");
        intro.set_text_content(Some(&i18n::text(
            "guardIntro",
            &[&report.findings.len().to_string()],
        )));
        panel.append_child(&title)?;
        panel.append_child(&intro)?;

        let mut listeners = Vec::new();
        let mut listen = |target: &HtmlElement,
                          kind: &str,
                          callback: Box<dyn FnMut(Event)>|
         -> Result<(), JsValue> {
            let closure = Closure::<dyn FnMut(Event)>::new(callback);
            target.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())?;
            listeners.push(closure);
            Ok(())
        };

        let list = element(&document, "ul", "")?;
        for (i, finding) in report.findings.iter().enumerate() {
            let item = finding_item(&document, finding)?;
            if let Some(suggestion) = &finding.suggestion {
                if replaceable.get(i).copied().unwrap_or(false) {
                    let apply = button(
                        &document,
                        "finding-suggestion",
                        &i18n::text("guardReplace", &[suggestion]),
                    )?;
                    let on = on.clone();
                    listen(&apply, "click", Box::new(move |_| on(Action::Apply(i))))?;
                    item.append_child(&apply)?;
                } else {
                    let hint = element(&document, "span", "")?;
                    hint.set_class_name("hint");
                    hint.set_text_content(Some(&i18n::text("guardHint", &[suggestion])));
                    item.append_child(&hint)?;
                }
            }
            list.append_child(&item)?;
        }
        panel.append_child(&list)?;

        let reason = if need_reason {
            let label = element(&document, "label", "")?;
            label.set_attribute("for", "tact-guard-reason")?;
            label.set_text_content(Some(&i18n::text("guardReason", &[])));
            let area: HtmlTextAreaElement =
                element(&document, "textarea", "guard-reason")?.dyn_into()?;
            area.set_id("tact-guard-reason");
            area.set_required(true);
            panel.append_child(&label)?;
            panel.append_child(&area)?;
            Some(area)
        } else {
            None
        };

        let actions = element(&document, "div", "")?;
        actions.set_class_name("actions");
        let send = button(&document, "guard-send", &i18n::text("guardSend", &[]))?;
        let edit = button(&document, "guard-edit", &i18n::text("guardEdit", &[]))?;
        send.set_disabled(need_reason);
        actions.append_child(&send)?;
        actions.append_child(&edit)?;
        panel.append_child(&actions)?;
        {
            let on = on.clone();
            listen(&edit, "click", Box::new(move |_| on(Action::Edit)))?;
        }
        {
            let on = on.clone();
            let send_button = send.clone();
            listen(
                &send,
                "click",
                Box::new(move |_| {
                    if !send_button.disabled() {
                        on(Action::SendAnyway)
                    }
                }),
            )?;
        }
        if let Some(area) = &reason {
            let (area2, send2) = (area.clone(), send.clone());
            listen(
                area,
                "input",
                Box::new(move |_| send2.set_disabled(area2.value().trim().is_empty())),
            )?;
        }
        {
            let panel2 = panel.clone();
            let on = on.clone();
            listen(
                &panel,
                "keydown",
                Box::new(move |event| {
                    if let Some(key) = event.dyn_ref::<KeyboardEvent>() {
                        if key.key() == "Escape" {
                            key.prevent_default();
                            on(Action::Edit);
                        } else if key.key() == "Tab" {
                            trap_focus(&panel2, key);
                        }
                    }
                    // The site's global shortcuts must not see keys typed in the panel.
                    event.stop_propagation();
                }),
            )?;
        }
        for kind in ["keyup", "keypress", "input", "beforeinput"] {
            listen(
                &panel,
                kind,
                Box::new(|event: Event| event.stop_propagation()),
            )?;
        }

        overlay.root.append_child(&panel)?;
        let _ = edit.focus();
        Ok(Panel {
            element: panel,
            send,
            reason,
            _listeners: listeners,
        })
    }

    /// The reason typed, when one was asked for.
    pub fn reason(&self) -> Option<String> {
        self.reason
            .as_ref()
            .map(|area| area.value().trim().to_string())
    }

    pub fn can_send(&self) -> bool {
        !self.send.disabled()
    }

    pub fn close(self) {
        self.element.remove();
    }
}

/// Keeps Tab and Shift+Tab cycling among the panel's buttons and fields.
fn trap_focus(panel: &HtmlElement, event: &KeyboardEvent) {
    let Ok(list) = panel.query_selector_all("button:not([disabled]), textarea") else {
        return;
    };
    let items: Vec<HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect();
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return;
    };
    let active = panel
        .get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .ok()
        .and_then(|r| r.active_element());
    let at = |el: &HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == el.as_ref() as &web_sys::Element)
    };
    if event.shift_key() && at(first) {
        event.prevent_default();
        let _ = last.focus();
    } else if !event.shift_key() && at(last) {
        event.prevent_default();
        let _ = first.focus();
    }
}
