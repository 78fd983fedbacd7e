//! The send guard. Capture-phase listeners on `window` run before React's root listener and
//! Lexical's editor listener, so a send with findings is held before the site sees it; the
//! CM then edits, applies a suggestion, or sends anyway — which re-triggers the site's own
//! send exactly once.

use super::events::{capture, target_node};
use super::insert;
use super::page::{with_page, Page};
use super::panel::{Action, Panel};
use crate::report::{Report, Severity, Verdict};
use crate::settings::Mode;
use crate::sites::KeyPress;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, HtmlElement, KeyboardEvent, KeyboardEventInit};

/// How the held send was attempted, so it can be replayed the same way.
#[derive(Clone)]
enum Trigger {
    Button(HtmlElement),
    Key {
        key: String,
        code: String,
        ctrl: bool,
        meta: bool,
        shift: bool,
        alt: bool,
    },
}

/// A send waiting for the CM's decision.
pub struct Held {
    editor: Element,
    trigger: Trigger,
    report: Report,
    panel: Panel,
}

thread_local! {
    /// Set while Tact replays a send the CM confirmed: the guard lets that one through.
    static REPLAYING: Cell<bool> = const { Cell::new(false) };
}

pub fn install(window: &web_sys::Window) -> Result<(), JsValue> {
    capture(
        window,
        &[
            ("keydown", on_keydown),
            ("pointerdown", |e| on_pointer(e, false)),
            ("mousedown", |e| on_pointer(e, false)),
            ("click", |e| on_pointer(e, true)),
        ],
    )
}

fn stop(event: &Event) {
    event.prevent_default();
    event.stop_immediate_propagation();
}

/// Whether the draft in editor `i` must wait for a decision; returns its fresh report.
fn needs_decision(page: &Page, i: usize) -> Option<Report> {
    let text = super::draft::read(&page.editors[i].editor, page.editors[i].kind).text;
    let report = page.check(&text);
    (report.verdict != Verdict::Pass).then_some(report)
}

fn on_keydown(event: &Event) {
    let Some(key) = event.dyn_ref::<KeyboardEvent>() else {
        return;
    };
    // An Enter that commits an input-method composition is not a send.
    if REPLAYING.get() || key.is_composing() || key.key_code() == 229 {
        return;
    }
    let Some(target) = target_node(event) else {
        return;
    };
    let press = KeyPress {
        key: &key.key(),
        ctrl: key.ctrl_key(),
        meta: key.meta_key(),
        shift: key.shift_key(),
        alt: key.alt_key(),
    };
    let held = with_page(|page| {
        let i = page.editor_of(&target)?;
        if !page.pack.submit.keys.iter().any(|k| k.matches(&press)) {
            return None;
        }
        let report = needs_decision(page, i)?;
        let trigger = Trigger::Key {
            key: key.key(),
            code: key.code(),
            ctrl: press.ctrl,
            meta: press.meta,
            shift: press.shift,
            alt: press.alt,
        };
        Some((page.editors[i].editor.clone(), trigger, report))
    })
    .flatten();
    if let Some((editor, trigger, report)) = held {
        stop(event);
        hold(editor, trigger, report);
    }
}

fn on_pointer(event: &Event, is_click: bool) {
    if REPLAYING.get() {
        return;
    }
    let Some(target) = target_node(event) else {
        return;
    };
    let Some(element) = target
        .dyn_ref::<Element>()
        .cloned()
        .or_else(|| target.parent_element())
    else {
        return;
    };
    let held = with_page(|page| {
        let selectors = page.pack.submit.buttons.join(", ");
        let button = element.closest(&selectors).ok()??;
        let i = page.editor_for_button(&button)?;
        let report = needs_decision(page, i)?;
        Some((page.editors[i].editor.clone(), button, report))
    })
    .flatten();
    let Some((editor, button, report)) = held else {
        return;
    };
    stop(event);
    if is_click {
        if let Ok(button) = button.dyn_into::<HtmlElement>() {
            hold(editor, Trigger::Button(button), report);
        }
    }
}

/// Opens the panel for a held send (replacing any panel already open).
fn hold(editor: Element, trigger: Trigger, report: Report) {
    with_page(|page| {
        if let Some(previous) = page.held.take() {
            previous.panel.close();
        }
        let need_reason = page.settings.mode == Mode::Intern && report.verdict == Verdict::Block;
        let replaceable: Vec<bool> = report
            .findings
            .iter()
            .map(|f| f.replaces && f.suggestion.is_some())
            .collect();
        let on: Rc<dyn Fn(Action)> = Rc::new(decide);
        match Panel::open(&page.overlay, &report, &replaceable, need_reason, on) {
            Ok(panel) => {
                page.held = Some(Held {
                    editor,
                    trigger,
                    report,
                    panel,
                })
            }
            Err(error) => {
                web_sys::console::error_2(&"Tact: the guard panel could not open".into(), &error)
            }
        }
    });
}

fn decide(action: Action) {
    match action {
        Action::Edit => edit(),
        Action::SendAnyway => send_anyway(),
        Action::Apply(i) => apply(i),
    }
}

/// Closes the panel and puts the caret back in the editor, at the first finding.
fn edit() {
    let Some(Some((editor, range))) = with_page(|page| {
        let held = page.held.take()?;
        held.panel.close();
        let first = held.report.findings.first().map(|f| f.start).unwrap_or(0);
        let range = page
            .editors
            .iter()
            .find(|t| t.editor == held.editor)
            .and_then(|t| t.draft.range(&page.document, first, first));
        Some((held.editor, range))
    }) else {
        return;
    };
    if let Some(html) = editor.dyn_ref::<HtmlElement>() {
        let _ = html.focus();
    }
    if let (Some(range), Some(window)) = (range, web_sys::window()) {
        if let Ok(Some(selection)) = window.get_selection() {
            let _ = selection.remove_all_ranges();
            let _ = selection.add_range(&range);
        }
    }
}

/// Records the override for the team audit, then replays the site's own send once.
fn send_anyway() {
    let Some(Some((held, event))) = with_page(|page| {
        let held = page.held.take()?;
        if !held.panel.can_send() {
            page.held = Some(held);
            return None;
        }
        let event = override_event(page, &held);
        Some((held, event))
    }) else {
        return;
    };
    let Held {
        editor,
        trigger,
        panel,
        ..
    } = held;
    panel.close();
    emit(&event);
    REPLAYING.set(true);
    let result = replay(&editor, &trigger);
    REPLAYING.set(false);
    if let Err(error) = result {
        web_sys::console::error_2(&"Tact: could not send the reply".into(), &error);
    }
}

/// The audit event for an override: rule ids, severity, network, time — never the draft.
fn override_event(page: &Page, held: &Held) -> serde_json::Value {
    let mut rules: Vec<&str> = held
        .report
        .findings
        .iter()
        .map(|f| f.rule.as_str())
        .collect();
    rules.dedup();
    let severity = held
        .report
        .findings
        .iter()
        .map(|f| f.severity)
        .max()
        .unwrap_or(Severity::Info);
    serde_json::json!({
        "type": "override",
        "rules": rules,
        "severity": severity,
        "network": page.pack.network,
        "mode": page.settings.mode,
        "reason": held.panel.reason(),
        "at": String::from(js_sys::Date::new_0().to_iso_string()),
    })
}

fn emit(event: &serde_json::Value) {
    let Some(host) = with_page(|page| page.host.clone()) else {
        return;
    };
    let emit = js_sys::Reflect::get(&host, &"emit".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(emit) = emit {
        let _ = emit.call1(&host, &event.to_string().into());
    }
}

fn replay(editor: &Element, trigger: &Trigger) -> Result<(), JsValue> {
    match trigger {
        Trigger::Button(button) => {
            button.click();
            Ok(())
        }
        Trigger::Key {
            key,
            code,
            ctrl,
            meta,
            shift,
            alt,
        } => {
            if let Some(html) = editor.dyn_ref::<HtmlElement>() {
                html.focus()?;
            }
            let init = KeyboardEventInit::new();
            init.set_key(key);
            init.set_code(code);
            init.set_ctrl_key(*ctrl);
            init.set_meta_key(*meta);
            init.set_shift_key(*shift);
            init.set_alt_key(*alt);
            init.set_bubbles(true);
            init.set_cancelable(true);
            init.set_composed(true);
            let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)?;
            // Older handlers read keyCode/which, which an init dictionary cannot set.
            let code_value = JsValue::from_f64(if key == "Enter" { 13.0 } else { 0.0 });
            for field in ["keyCode", "which"] {
                let descriptor = js_sys::Object::new();
                js_sys::Reflect::set(&descriptor, &"value".into(), &code_value)?;
                js_sys::Object::define_property(&event, &field.into(), &descriptor);
            }
            editor.dispatch_event(&event)?;
            Ok(())
        }
    }
}

/// Applies finding `i`'s replacement through the editor, then re-checks: the panel opens
/// again only if something is still left to decide.
fn apply(i: usize) {
    let Some(Some((editor, kind, trigger, text))) = with_page(|page| {
        let held = page.held.take()?;
        let tracked = page.editors.iter().find(|t| t.editor == held.editor)?;
        let current = super::draft::read(&tracked.editor, tracked.kind);
        let text = held.report.findings.get(i)?.apply(&current.text);
        let kind = tracked.kind;
        held.panel.close();
        Some((held.editor, kind, held.trigger, text?))
    }) else {
        return;
    };
    let check = text.clone();
    insert::replace_next_task(editor, kind, text, move |editor| {
        let still = with_page(|page| {
            if let Some(index) = page.editors.iter().position(|t| t.editor == *editor) {
                page.refresh(index);
            }
            let report = page.check(&check);
            (report.verdict != Verdict::Pass).then_some(report)
        })
        .flatten();
        if let Some(report) = still {
            hold(editor.clone(), trigger, report);
        }
    });
}
