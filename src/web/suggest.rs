//! Reply suggestions in the page. When a reply editor is focused while empty and the site
//! pack finds what it answers, the core classifies that comment and the best replies,
//! filled in, are drawn beside the editor; Alt+1…3 or a click inserts one through the
//! editor itself (`insert.rs`), where the guard checks it like typed text.

use super::context;
use super::draft;
use super::events::{capture, target_node};
use super::insert;
use super::page::{with_page, Page};
use super::suggest_view::{self, View};
use crate::reply::{FillContext, Library, Suggester, Suggestions};
use crate::report::Verdict;
use crate::settings::Settings;
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
    /// Learned on first use: pages where the CM never replies pay nothing.
    suggester: Option<Suggester>,
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
    // Learn the library when the page is idle, so the first focus does not wait for it.
    let warm = Closure::once_into_js(|| {
        with_page(|page| {
            STATE.with_borrow_mut(|s| {
                s.suggester.get_or_insert_with(|| learn(&page.settings));
            })
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
    let fill = FillContext {
        author: context.author,
        handle: context.handle,
        brand: page.settings.brand.clone(),
        agent: page.settings.agent.clone(),
        link: None,
        hour: u8::try_from(js_sys::Date::new_0().get_hours()).ok(),
    };
    // The core's guess first; the site's own language mark when the text is too short.
    let lang = match lang::guess(&context.text).lang {
        Lang::Unknown => context.lang,
        known => Some(known),
    };
    let found = STATE.with_borrow_mut(|s| {
        s.suggester
            .get_or_insert_with(|| learn(&page.settings))
            .suggest_in(&context.text, lang, &fill, TOP)
    });
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

/// The team's templates when the settings hold them (a library that does not load is
/// reported and the built-in one used), else the built-in library.
fn learn(settings: &Settings) -> Suggester {
    let library = match settings
        .templates
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        None => Library::default_library(),
        Some(source) => {
            let file = settings
                .templates_file
                .as_deref()
                .unwrap_or("templates.toml");
            Library::from_toml(source, file).unwrap_or_else(|error| {
                web_sys::console::warn_1(
                    &format!(
                        "Tact: the reply templates could not be loaded ({error}); using the built-in ones"
                    )
                    .into(),
                );
                Library::default_library()
            })
        }
    };
    Suggester::new(library)
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
