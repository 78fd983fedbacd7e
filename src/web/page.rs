//! The page layer's state: the site pack, the tracked editors with their drafts, reports,
//! badges and underlines, and the CM's settings. Editors are found as they appear (single-
//! page navigation, modals, inline replies) by one MutationObserver.

use super::draft::{self, DraftText};
use super::engine::Checker;
use super::guard::Held;
use super::highlight::Highlights;
use super::i18n;
use super::overlay::{Badge, Overlay};
use crate::report::{Report, Severity};
use crate::settings::Settings;
use crate::sites::{EditorKind, SitePack};
use crate::text::lang::Lang;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, MutationObserver, MutationObserverInit, Node, Range};

pub struct Tracked {
    pub editor: Element,
    pub kind: EditorKind,
    pub badge: Badge,
    pub draft: DraftText,
    pub report: Report,
    ranges: Vec<(Severity, Range)>,
}

pub struct Page {
    pub document: Document,
    pub pack: SitePack,
    pub overlay: Overlay,
    highlights: Option<Highlights>,
    pub checker: Checker,
    pub settings: Settings,
    pub locale: Lang,
    pub editors: Vec<Tracked>,
    /// The pack's editor selectors as one list.
    editor_selector: String,
    /// The editor selectors and the posts' (quick-tag), for one query per added node.
    watch_selector: String,
    pub held: Option<Held>,
    /// `{ emit(json) }` from the content script: events for the background worker.
    pub host: JsValue,
}

thread_local! {
    static PAGE: RefCell<Option<Page>> = const { RefCell::new(None) };
}

/// Runs `f` on the page state, if the page layer is running. Callers must not dispatch DOM
/// events or move focus inside `f`: handlers would re-enter the state.
pub fn with_page<R>(f: impl FnOnce(&mut Page) -> R) -> Option<R> {
    PAGE.with(|page| page.try_borrow_mut().ok()?.as_mut().map(f))
}

pub fn start(settings: Settings, host: JsValue) -> Result<Option<String>, String> {
    let js = |v: JsValue| v.as_string().unwrap_or_else(|| format!("{v:?}"));
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let hostname = window.location().hostname().map_err(js)?;
    let pack = match crate::sites::for_host(&hostname) {
        None => return Ok(None),
        Some(pack) => pack.map_err(|e| e.to_string())?,
    };
    if !settings.enabled_on(&pack.network) {
        return Ok(None);
    }
    let name = pack.name.clone();
    let overlay = Overlay::attach(&document).map_err(js)?;
    let (checker, charter_error) = Checker::new(&settings);
    if let Some(error) = charter_error {
        web_sys::console::warn_1(
            &format!("Tact: the charter could not be loaded ({error}); using the built-in checks")
                .into(),
        );
    }
    let highlights = Highlights::register().ok();
    let editor_selector = pack
        .editors
        .iter()
        .map(|rule| rule.selector.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let watch_selector = std::iter::once(editor_selector.as_str())
        .chain(
            pack.posts
                .iter()
                .flat_map(|p| p.article.iter().map(String::as_str)),
        )
        .collect::<Vec<_>>()
        .join(", ");
    let page = Page {
        document: document.clone(),
        editor_selector,
        watch_selector,
        pack,
        overlay,
        highlights,
        checker,
        settings,
        locale: i18n::ui_lang(),
        editors: Vec::new(),
        held: None,
        host,
    };
    PAGE.with(|cell| cell.replace(Some(page)));
    if let Some(root) = document.document_element() {
        with_page(|page| page.scan(&[root], &[]));
    }
    observe(&document).map_err(js)?;
    let tagging = with_page(|p| {
        let posts = p.pack.posts.clone();
        (posts, p.overlay.root.clone(), p.host.clone(), p.locale)
    });
    if let Some((posts, root, host, lang)) = tagging {
        super::tagging::start(&document, posts, root, host, lang).map_err(js)?;
    }
    listen(&window).map_err(js)?;
    super::guard::install(&window).map_err(js)?;
    super::suggest::install(&window).map_err(js)?;
    Ok(Some(name))
}

impl Page {
    /// The tracked editor that contains `node`.
    pub fn editor_of(&self, node: &Node) -> Option<usize> {
        self.editors
            .iter()
            .position(|t| t.editor.contains(Some(node)))
    }

    /// The editor a submit button belongs to: the one in the nearest ancestor that holds
    /// any editor (inline composer, modal, comment box); several there means the focused.
    pub fn editor_for_button(&self, button: &Element) -> Option<usize> {
        let mut node = button.parent_element();
        while let Some(ancestor) = node {
            let inside: Vec<usize> = (0..self.editors.len())
                .filter(|&i| ancestor.contains(Some(&self.editors[i].editor)))
                .collect();
            match inside.len() {
                0 => node = ancestor.parent_element(),
                1 => return Some(inside[0]),
                _ => {
                    let active = self.document.active_element();
                    return inside.into_iter().find(|&i| {
                        active
                            .as_ref()
                            .is_some_and(|a| self.editors[i].editor.contains(Some(a)))
                    });
                }
            }
        }
        None
    }

    /// The page's active account when it is not one of the brand's accounts.
    pub fn foreign_account(&self) -> Option<String> {
        if self.settings.brand_accounts.is_empty() {
            return None;
        }
        let account = self.pack.active_account.iter().find_map(|selector| {
            let element = self.document.query_selector(selector).ok()??;
            Some(
                element
                    .text_content()?
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })?;
        (!self.settings.is_brand_account(&account)).then_some(account)
    }

    /// A fresh check of a draft, with the account guard's finding when it applies.
    pub fn check(&self, text: &str) -> Report {
        let mut report = self.checker.check(text, &self.pack.network, self.locale);
        if let Some(account) = self.foreign_account() {
            let message = i18n::text("accountMessage", &[&account]);
            if let Some(finding) = crate::account::foreign_account_finding(
                text,
                &self.settings.brand_accounts,
                message,
            ) {
                let mut findings = std::mem::take(&mut report.findings);
                findings.push(finding);
                report = Report::from_findings(findings);
            }
        }
        report
    }

    /// Re-reads editor `i`, checks it and redraws its badge and underlines.
    pub fn refresh(&mut self, i: usize) {
        let Some(tracked) = self.editors.get(i) else {
            return;
        };
        let draft = draft::read(&tracked.editor, tracked.kind);
        let report = self.check(&draft.text);
        let foreign = self.foreign_account();
        let tracked = &mut self.editors[i];
        if let Some(highlights) = &self.highlights {
            for (severity, range) in tracked.ranges.drain(..) {
                highlights.remove(severity, &range);
            }
            for finding in &report.findings {
                if let Some(range) = draft.range(&self.document, finding.start, finding.end) {
                    highlights.add(finding.severity, &range);
                    tracked.ranges.push((finding.severity, range));
                }
            }
        }
        tracked.badge.show(&report, foreign.as_deref());
        tracked.badge.place(&tracked.editor);
        tracked.draft = draft;
        tracked.report = report;
    }

    /// Forgets editors that left the page, tracks new ones among `added` (the whole
    /// document at start), and re-checks tracked editors whose content changed without an
    /// input event (the site cleared it after posting, a paste): those a record's target is
    /// in, and textareas, whose value changes leave no record. Returns the posts found in
    /// `added` on the way (the same query finds both).
    fn scan(&mut self, added: &[Element], targets: &[Node]) -> Vec<Element> {
        let highlights = &self.highlights;
        self.editors.retain(|t| {
            let alive = t.editor.is_connected();
            if !alive {
                t.badge.remove();
                if let Some(h) = highlights {
                    t.ranges.iter().for_each(|(s, r)| h.remove(*s, r));
                }
            }
            alive
        });
        let known = self.editors.len();
        let mut posts = Vec::new();
        for root in added {
            self.track_under(root, &mut posts);
        }
        for i in 0..known {
            let tracked = &self.editors[i];
            let touched = tracked.editor.has_type::<web_sys::HtmlTextAreaElement>()
                || targets.iter().any(|n| tracked.editor.contains(Some(n)));
            if !touched {
                continue;
            }
            let current = draft::read(&tracked.editor, tracked.kind);
            if current.text != tracked.draft.text {
                self.refresh(i);
            }
        }
        posts
    }

    /// Tracks the editors at or under `root` that are not tracked yet; the posts there go
    /// to `posts`.
    fn track_under(&mut self, root: &Element, posts: &mut Vec<Element>) {
        let Ok(found) = root.query_selector_all(&self.watch_selector) else {
            return;
        };
        let at_root = root.matches(&self.watch_selector).unwrap_or(false);
        let found = at_root
            .then(|| root.clone())
            .into_iter()
            .chain((0..found.length()).filter_map(|n| found.item(n)?.dyn_into::<Element>().ok()));
        for editor in found.collect::<Vec<_>>() {
            if !editor.matches(&self.editor_selector).unwrap_or(false) {
                posts.push(editor);
                continue;
            }
            if self.editors.iter().any(|t| t.editor == editor) {
                continue;
            }
            let Some(kind) = self
                .pack
                .editors
                .iter()
                .find(|rule| editor.matches(&rule.selector).unwrap_or(false))
                .map(|rule| rule.kind)
            else {
                continue;
            };
            let Ok(badge) = self.overlay.badge() else {
                continue;
            };
            let draft = draft::read(&editor, kind);
            self.editors.push(Tracked {
                editor,
                kind,
                badge,
                draft,
                report: Report::from_findings(Vec::new()),
                ranges: Vec::new(),
            });
            self.refresh(self.editors.len() - 1);
        }
    }

    /// Shows the message of the finding under the caret, if any.
    fn caret_moved(&self) {
        let Ok(Some(selection)) = self.document.get_selection() else {
            return;
        };
        let Some(node) = selection.anchor_node() else {
            return;
        };
        let Some(tracked) = self.editors.iter().find(|t| t.editor.contains(Some(&node))) else {
            self.overlay.hide_tooltip();
            return;
        };
        let at = tracked.draft.offset_of(&node, selection.anchor_offset());
        let finding = at.and_then(|at| {
            tracked
                .report
                .findings
                .iter()
                .find(|f| f.start <= at && at <= f.end)
        });
        match finding.and_then(|f| Some((f, tracked.draft.range(&self.document, f.start, f.end)?)))
        {
            Some((finding, range)) => self
                .overlay
                .show_tooltip(&finding.message, &range.get_bounding_client_rect()),
            None => self.overlay.hide_tooltip(),
        }
    }

    /// Shows the message of the finding under the pointer, if any.
    fn pointer_moved(&self, x: f64, y: f64) {
        for tracked in &self.editors {
            for finding in &tracked.report.findings {
                let Some(range) = tracked
                    .draft
                    .range(&self.document, finding.start, finding.end)
                else {
                    continue;
                };
                let Some(rects) = range.get_client_rects() else {
                    continue;
                };
                for r in 0..rects.length() {
                    if let Some(rect) = rects.item(r) {
                        if x >= rect.left()
                            && x <= rect.right()
                            && y >= rect.top()
                            && y <= rect.bottom()
                        {
                            self.overlay.show_tooltip(&finding.message, &rect);
                            return;
                        }
                    }
                }
            }
        }
        self.overlay.hide_tooltip();
    }
}

/// One observer for the whole document, batched: each batch looks only at the nodes the
/// site added (editors to track, posts to tag) and at the targets of its records (editors
/// to re-check). The records our own writes cause in the callback (buttons, badges) are
/// taken back at its end, so they never wake the page layer again.
fn observe(document: &Document) -> Result<(), JsValue> {
    let callback = Closure::<dyn FnMut(js_sys::Array, MutationObserver)>::new(
        |records: js_sys::Array, observer: MutationObserver| {
            let (added, targets) = read_batch(&records);
            if !added.is_empty() || !targets.is_empty() {
                let posts = with_page(|page| page.scan(&added, &targets)).unwrap_or_default();
                super::tagging::observed(&added, &posts);
            }
            observer.take_records();
        },
    );
    let observer = MutationObserver::new(callback.as_ref().unchecked_ref())?;
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    options.set_character_data(true);
    observer.observe_with_options(document, &options)?;
    callback.forget();
    Ok(())
}

/// The elements a batch added, Tact's own left out, and the targets of its records (the
/// parents nodes were added to or removed from, edited text nodes). A batch made only of
/// Tact's own insertions gives nothing.
fn read_batch(records: &js_sys::Array) -> (Vec<Element>, Vec<Node>) {
    let mut added = Vec::new();
    let mut targets = Vec::new();
    for record in records.iter() {
        let Ok(record) = record.dyn_into::<web_sys::MutationRecord>() else {
            continue;
        };
        let nodes = record.added_nodes();
        let mut foreign = nodes.length() == 0;
        for i in 0..nodes.length() {
            let Some(node) = nodes.item(i) else {
                continue;
            };
            match node.dyn_into::<Element>() {
                Ok(el) if super::overlay::is_ours(&el) => {}
                Ok(el) => {
                    foreign = true;
                    added.push(el);
                }
                Err(_) => foreign = true,
            }
        }
        if foreign {
            if let Some(target) = record.target() {
                targets.push(target);
            }
        }
    }
    (added, targets)
}

fn add(
    target: &web_sys::EventTarget,
    kind: &str,
    callback: Closure<dyn FnMut(web_sys::Event)>,
) -> Result<(), JsValue> {
    target.add_event_listener_with_callback_and_bool(
        kind,
        callback.as_ref().unchecked_ref(),
        true,
    )?;
    callback.forget();
    Ok(())
}

/// Input re-checks its editor; scrolls and resizes re-place badges; the caret and the
/// pointer show the message of the finding they are on.
fn listen(window: &web_sys::Window) -> Result<(), JsValue> {
    add(
        window,
        "input",
        Closure::new(|event: web_sys::Event| {
            let Some(target) = event.target().and_then(|t| t.dyn_into::<Node>().ok()) else {
                return;
            };
            with_page(|page| {
                if let Some(i) = page.editor_of(&target) {
                    page.refresh(i);
                }
            });
        }),
    )?;
    let place = Closure::<dyn FnMut(web_sys::Event)>::new(|_| {
        with_page(|page| {
            page.editors.iter().for_each(|t| t.badge.place(&t.editor));
            page.overlay.hide_tooltip();
        });
    });
    window.add_event_listener_with_callback_and_bool(
        "resize",
        place.as_ref().unchecked_ref(),
        true,
    )?;
    add(window, "scroll", place)?;
    if let Some(document) = window.document() {
        add(
            &document,
            "selectionchange",
            Closure::new(|_| {
                with_page(|page| page.caret_moved());
            }),
        )?;
    }
    add(
        window,
        "mousemove",
        Closure::new(|event: web_sys::Event| {
            if let Some(mouse) = event.dyn_ref::<web_sys::MouseEvent>() {
                let (x, y) = (mouse.client_x() as f64, mouse.client_y() as f64);
                with_page(|page| page.pointer_moved(x, y));
            }
        }),
    )?;
    Ok(())
}
