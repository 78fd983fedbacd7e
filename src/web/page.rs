//! The page layer: finds the site's editors as they appear (single-page navigation, modals,
//! inline replies), gives each a badge, and re-checks on every input.

use super::draft;
use super::overlay::{Badge, Overlay};
use crate::sites::{self, EditorKind, SitePack};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, MutationObserver, MutationObserverInit};

struct Tracked {
    editor: Element,
    kind: EditorKind,
    badge: Badge,
}

struct Page {
    document: Document,
    pack: SitePack,
    overlay: Overlay,
    editors: Vec<Tracked>,
}

thread_local! {
    static PAGE: RefCell<Option<Page>> = const { RefCell::new(None) };
}

pub fn start() -> Result<Option<String>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let host = window.location().hostname().map_err(js_error)?;
    let pack = match sites::for_host(&host) {
        None => return Ok(None),
        Some(pack) => pack.map_err(|e| e.to_string())?,
    };
    let name = pack.name.clone();
    let overlay = Overlay::attach(&document).map_err(js_error)?;
    PAGE.with(|page| {
        page.replace(Some(Page {
            document: document.clone(),
            pack,
            overlay,
            editors: Vec::new(),
        }))
    });
    scan();
    observe(&document).map_err(js_error)?;
    listen(&window).map_err(js_error)?;
    Ok(Some(name))
}

fn js_error(value: JsValue) -> String {
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}

/// Tracks editors that appeared and forgets the ones that left the page.
fn scan() {
    PAGE.with(|page| {
        let mut page = page.borrow_mut();
        let Some(page) = page.as_mut() else { return };
        page.editors.retain(|t| {
            let alive = t.editor.is_connected();
            if !alive {
                t.badge.remove();
            }
            alive
        });
        for rule in page.pack.editors.clone() {
            let Ok(found) = page.document.query_selector_all(&rule.selector) else {
                web_sys::console::warn_1(
                    &format!(
                        "tact: site pack {}: invalid selector {}",
                        page.pack.name, rule.selector
                    )
                    .into(),
                );
                continue;
            };
            for i in 0..found.length() {
                let Some(editor) = found.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                    continue;
                };
                if page.editors.iter().any(|t| t.editor == editor) {
                    continue;
                }
                let Ok(badge) = page.overlay.badge() else {
                    continue;
                };
                badge.place(&editor);
                let tracked = Tracked {
                    editor,
                    kind: rule.kind,
                    badge,
                };
                refresh(&tracked);
                page.editors.push(tracked);
            }
        }
    });
}

fn refresh(tracked: &Tracked) {
    let text = draft::read(&tracked.editor, tracked.kind);
    let report = crate::placeholder::check(&text);
    tracked.badge.show(&report);
    tracked.badge.place(&tracked.editor);
}

/// One observer for the whole document; mutations are coalesced into a single scan.
fn observe(document: &Document) -> Result<(), JsValue> {
    let callback = Closure::<dyn FnMut()>::new(scan);
    let observer = MutationObserver::new(callback.as_ref().unchecked_ref())?;
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    observer.observe_with_options(document, &options)?;
    callback.forget();
    Ok(())
}

/// Input anywhere re-checks the editor it happened in; scrolling and resizing re-place badges.
fn listen(window: &web_sys::Window) -> Result<(), JsValue> {
    let on_input = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        let Some(target) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
        else {
            return;
        };
        PAGE.with(|page| {
            if let Some(page) = page.borrow().as_ref() {
                for tracked in page
                    .editors
                    .iter()
                    .filter(|t| t.editor.contains(Some(&target)))
                {
                    refresh(tracked);
                }
            }
        });
    });
    window.add_event_listener_with_callback_and_bool(
        "input",
        on_input.as_ref().unchecked_ref(),
        true,
    )?;
    on_input.forget();
    let on_move = Closure::<dyn FnMut()>::new(|| {
        PAGE.with(|page| {
            if let Some(page) = page.borrow().as_ref() {
                for tracked in &page.editors {
                    tracked.badge.place(&tracked.editor);
                }
            }
        });
    });
    for kind in ["scroll", "resize"] {
        window.add_event_listener_with_callback_and_bool(
            kind,
            on_move.as_ref().unchecked_ref(),
            true,
        )?;
    }
    on_move.forget();
    Ok(())
}
