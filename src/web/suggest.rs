//! Reply suggestions in the page. When a reply editor is focused while empty and the site
//! pack finds what it answers, the reply module (`pkg/tact_replies.js`, which the content
//! script loads when the page goes idle and hands over as `host.replies`) classifies that
//! comment and fills the best replies; each is checked against the charter here and drawn
//! beside the editor. Alt+1…3 or a click inserts one through the editor itself
//! (`insert.rs`), where the guard checks it like typed text.

use super::context;
use super::draft;
use super::events::{capture, target_node};
use super::insert;
use super::page::{with_page, Page};
use super::suggest_view::{self, View};
use crate::reply::Suggestions;
use crate::report::Verdict;
use crate::sites::EditorKind;
use crate::text::lang::{self, Lang};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, FocusEvent, KeyboardEvent, Node};

/// How many replies are offered (Alt+1…3).
const TOP: usize = 3;

/// The box on screen and what it offers.
struct Shown {
    editor: Element,
    kind: EditorKind,
    found: Suggestions,
    view: View,
}

#[derive(Default)]
struct State {
    shown: Option<Shown>,
    /// The editor whose box the CM closed (Escape) or used: not offered again until the
    /// focus leaves it or its draft is emptied.
    dismissed: Option<Element>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// Adds the box's style to the overlay and listens for focus, typing, keys and layout.
pub fn install(window: &web_sys::Window) -> Result<(), JsValue> {
    with_page(|page| suggest_view::install_style(&page.overlay)).transpose()?;
    capture(
        window,
        &[
            ("focusin", on_focus),
            ("focusout", on_blur),
            ("input", on_input),
            ("keydown", on_keydown),
            ("scroll", |_| place()),
            ("resize", |_| place()),
        ],
    )?;
    // The site re-renders, closes dialogs and clears posted drafts without focus events.
    let changed = Closure::<dyn FnMut()>::new(page_changed);
    let observer = web_sys::MutationObserver::new(changed.as_ref().unchecked_ref())?;
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    options.set_character_data(true);
    if let Some(document) = window.document() {
        observer.observe_with_options(&document, &options)?;
    }
    changed.forget();
    // Load the reply module and learn the library when the page is idle, so the first
    // focus does not wait for it.
    let warm = Closure::once_into_js(|| {
        with_page(|page| {
            load_replies(page);
        });
    });
    window.request_idle_callback(warm.unchecked_ref())?;
    Ok(())
}

/// The tracked editor holding `node`.
fn editor_holding(node: &Node) -> Option<Element> {
    with_page(|page| Some(page.editors[page.editor_of(node)?].editor.clone())).flatten()
}

fn on_focus(event: &Event) {
    if let Some(editor) = target_node(event).as_ref().and_then(editor_holding) {
        offer(&editor);
    }
}

/// Leaving an editor closes its box and ends its dismissal.
fn on_blur(event: &Event) {
    let Some(editor) = target_node(event).as_ref().and_then(editor_holding) else {
        return;
    };
    let into = event
        .dyn_ref::<FocusEvent>()
        .and_then(FocusEvent::related_target)
        .and_then(|t| t.dyn_into::<Node>().ok());
    if into.is_some_and(|n| editor.contains(Some(&n))) {
        return;
    }
    hide();
    STATE.with_borrow_mut(|s| {
        if s.dismissed.as_ref() == Some(&editor) {
            s.dismissed = None;
        }
    });
}

/// Typing closes the box; emptying the draft offers the replies again.
fn on_input(event: &Event) {
    let Some(editor) = target_node(event).as_ref().and_then(editor_holding) else {
        return;
    };
    if is_empty(&editor) {
        STATE.with_borrow_mut(|s| s.dismissed = None);
        offer(&editor);
    } else {
        hide();
    }
}

/// Alt+1…3 inserts; Escape closes the box for this editor.
fn on_keydown(event: &Event) {
    let Some(key) = event.dyn_ref::<KeyboardEvent>() else {
        return;
    };
    let Some(target) = target_node(event) else {
        return;
    };
    let offered = STATE.with_borrow(|s| {
        s.shown
            .as_ref()
            .filter(|shown| shown.editor.contains(Some(&target)))
            .map(|shown| shown.found.suggestions.len())
    });
    let Some(count) = offered else {
        return;
    };
    if key.key() == "Escape" {
        dismiss();
        return;
    }
    if !key.alt_key() || key.ctrl_key() || key.meta_key() || key.shift_key() {
        return;
    }
    // The code, not the key: Alt+digit types other characters on some layouts.
    let digit = match key.code().as_str() {
        "Digit1" | "Numpad1" => 1,
        "Digit2" | "Numpad2" => 2,
        "Digit3" | "Numpad3" => 3,
        _ => return,
    };
    if digit <= count {
        event.prevent_default();
        event.stop_immediate_propagation();
        choose(digit - 1);
    }
}

fn page_changed() {
    let gone = STATE.with_borrow(|s| {
        s.shown
            .as_ref()
            .map(|shown| !shown.editor.is_connected() || !is_empty(&shown.editor))
    });
    match gone {
        Some(true) => hide(),
        Some(false) => place(),
        None => {}
    }
}

fn is_empty(editor: &Element) -> bool {
    with_page(|page| {
        let tracked = page.editors.iter().find(|t| t.editor == *editor)?;
        Some(
            draft::read(&tracked.editor, tracked.kind)
                .text
                .trim()
                .is_empty(),
        )
    })
    .flatten()
    .unwrap_or(false)
}

fn place() {
    STATE.with_borrow(|s| {
        if let Some(shown) = &s.shown {
            shown.view.place(&shown.editor);
        }
    });
}

fn hide() {
    if let Some(shown) = STATE.with_borrow_mut(|s| s.shown.take()) {
        shown.view.remove();
    }
}

fn dismiss() {
    if let Some(shown) = STATE.with_borrow_mut(|s| {
        let shown = s.shown.take()?;
        s.dismissed = Some(shown.editor.clone());
        Some(shown)
    }) {
        shown.view.remove();
    }
}

/// Shows the box for `editor` if its draft is empty and it answers something.
fn offer(editor: &Element) {
    let (here, dismissed) = STATE.with_borrow(|s| {
        (
            s.shown
                .as_ref()
                .is_some_and(|shown| shown.editor == *editor),
            s.dismissed.as_ref() == Some(editor),
        )
    });
    if here {
        place();
        return;
    }
    hide();
    if dismissed {
        return;
    }
    let shown = with_page(|page| draw(page, editor)).flatten();
    STATE.with_borrow_mut(|s| s.shown = shown);
}

/// Reads the reply context, asks the core, checks each reply against the charter and
/// draws the box.
fn draw(page: &Page, editor: &Element) -> Option<Shown> {
    let tracked = page.editors.iter().find(|t| t.editor == *editor)?;
    if !draft::read(&tracked.editor, tracked.kind)
        .text
        .trim()
        .is_empty()
    {
        return None;
    }
    let context = context::find(editor, &page.pack)?;
    // The core's guess first; the site's own language mark when the text is too short.
    let lang = match lang::guess(&context.text).lang {
        Lang::Unknown => context.lang,
        known => Some(known),
    };
    let lang = lang.map_or("", Lang::as_str);
    let hour = js_sys::Date::new_0().get_hours() as i32;
    let text = |v: &Option<String>| JsValue::from_str(v.as_deref().unwrap_or(""));
    let args = [
        JsValue::from_str(&context.text),
        JsValue::from_str(lang),
        text(&context.author),
        text(&context.handle),
        text(&page.settings.brand),
        text(&page.settings.agent),
        JsValue::from(hour),
        JsValue::from(TOP as u32),
    ];
    let Some(found) = ask_replies(page, &args) else {
        // Not loaded yet: offer again once it is, if the CM is still in this editor.
        let editor = editor.clone();
        let retry = Closure::once(move |_: JsValue| {
            let focused = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .is_some_and(|a| editor.contains(Some(&a)));
            if focused {
                offer(&editor);
            }
        });
        if let Some(loading) = load_replies(page) {
            let _ = loading.then(&retry);
            retry.forget(); // runs once, when the module is ready
        }
        return None;
    };
    let verdicts: Vec<Verdict> = found
        .suggestions
        .iter()
        .map(|s| match s.text.is_empty() {
            true => Verdict::Pass,
            false => page.check(&s.text).verdict,
        })
        .collect();
    let view = match View::draw(&page.overlay, &found, &verdicts, Rc::new(choose)) {
        Ok(view) => view,
        Err(error) => {
            web_sys::console::error_2(&"Tact: the suggestions could not be drawn".into(), &error);
            return None;
        }
    };
    view.place(editor);
    Some(Shown {
        editor: editor.clone(),
        kind: tracked.kind,
        found,
        view,
    })
}

/// `host.replies`, the reply module's glue in the content script.
fn replies(page: &Page) -> Option<js_sys::Object> {
    js_sys::Reflect::get(&page.host, &"replies".into())
        .ok()?
        .dyn_into()
        .ok()
}

fn method(object: &js_sys::Object, name: &str) -> Option<js_sys::Function> {
    js_sys::Reflect::get(object, &name.into())
        .ok()?
        .dyn_into()
        .ok()
}

/// Starts loading the reply module with the team's templates (the built-in library when
/// there are none; one that does not load is reported by the module and replaced by the
/// built-in one). The promise settles once it can answer.
fn load_replies(page: &Page) -> Option<js_sys::Promise> {
    let replies = replies(page)?;
    let templates = page.settings.templates.as_deref().unwrap_or("");
    let file = page
        .settings
        .templates_file
        .as_deref()
        .unwrap_or("templates.toml");
    method(&replies, "load")?
        .call2(&replies, &templates.into(), &file.into())
        .ok()?
        .dyn_into()
        .ok()
}

/// The module's suggestions, or `None` while it is not loaded.
fn ask_replies(page: &Page, args: &[JsValue]) -> Option<Suggestions> {
    let replies = replies(page)?;
    let args: js_sys::Array = args.iter().collect();
    let json = method(&replies, "suggest")?
        .apply(&replies, &args)
        .ok()?
        .as_string()?;
    crate::config::from_json(&json).ok()
}

/// Inserts reply `n` through the editor; an action without words (hide, ignore) only
/// closes the box. The guard re-checks the draft once the editor holds it.
fn choose(n: usize) {
    let Some(shown) = STATE.with_borrow_mut(|s| {
        let shown = s.shown.take()?;
        s.dismissed = Some(shown.editor.clone());
        Some(shown)
    }) else {
        return;
    };
    shown.view.remove();
    let Some(text) = shown
        .found
        .suggestions
        .get(n)
        .map(|s| s.text.clone())
        .filter(|t| !t.is_empty())
    else {
        return;
    };
    insert::replace_next_task(shown.editor, shown.kind, text, |editor| {
        with_page(|page| {
            if let Some(i) = page.editors.iter().position(|t| t.editor == *editor) {
                page.refresh(i);
            }
        });
    });
}
