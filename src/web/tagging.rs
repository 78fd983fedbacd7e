//! Quick-tag in the page: one tag button per post or comment, the tag menu, `Alt+digit`
//! shortcuts, and reading a post into a [`Sighting`] for the background worker.
//!
//! Posts are found through the site pack's `posts` rules only. New posts are found as the
//! page's one MutationObserver reports them (only the added nodes are looked at) and get
//! their button when an IntersectionObserver sees them near the viewport; X
//! re-renders and recycles timeline cells, so a post that comes back gets its button (and
//! its tags) again, and a post never holds two buttons.
//!
//! The button is a light-DOM `tact-tag` element styled by `extension/page.css`; the menu
//! and notices are drawn in the overlay's shadow root. Page text is only ever copied with
//! `textContent`-style reads and written with `createTextNode`/`textContent`.

use super::i18n;
use super::overlay::element;
use crate::inbox::sighting::Sighting;
use crate::inbox::{permalink::canonicalize, Tag};
use crate::sites::PostRules;
use crate::text::lang::Lang;
use serde::Deserialize;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use web_sys::{
    Document, Element, HtmlElement, IntersectionObserver, IntersectionObserverEntry,
    IntersectionObserverInit, KeyboardEvent, Node, ShadowRoot,
};

/// The tag button: a light-DOM custom element styled by `extension/page.css` (cloned
/// from a template per post: a shadow root and its style sheet per post cost more than
/// the feed's budget allows).
const BUTTON_TAG: &str = "tact-tag";
/// A tag chip inside the button.
const CHIP_TAG: &str = "tact-chip";
/// What an untagged post's button shows.
const TAG_SYMBOL: &str = "🏷";
/// Styles of the menu and notices, added to the overlay's shadow root.
const MENU_STYLE: &str = include_str!("tagging.css");
struct Tagging {
    document: Document,
    rules: PostRules,
    /// The overlay's shadow root, where the menu and notices are drawn.
    root: ShadowRoot,
    /// `{ inbox(json) → Promise<json> }` from the content script.
    host: JsValue,
    lang: Lang,
    /// A blank button, cloned for each post: one call instead of one per attribute.
    template: Element,
    /// Posts wait here until they come near the viewport: only those get their button, so
    /// a feed that loads far ahead of the reader costs one call per post.
    near: IntersectionObserver,
    tags: Vec<Tag>,
    /// Item id → its tags, as the worker last said.
    tagged: HashMap<String, Vec<String>>,
    /// The open menu and the article it is for.
    menu: Option<(HtmlElement, Element)>,
    notice: Option<HtmlElement>,
}

thread_local! {
    static TAGGING: RefCell<Option<Tagging>> = const { RefCell::new(None) };
}

fn with<R>(f: impl FnOnce(&mut Tagging) -> R) -> Option<R> {
    TAGGING.with(|t| t.try_borrow_mut().ok()?.as_mut().map(f))
}

/// Starts quick-tag on a page whose pack has post rules: buttons on the posts already
/// there, listeners, and a request for the vocabulary and the already-tagged items.
pub fn start(
    document: &Document,
    rules: Option<PostRules>,
    root: ShadowRoot,
    host: JsValue,
    lang: Lang,
) -> Result<(), JsValue> {
    let Some(rules) = rules else {
        return Ok(());
    };
    let style = document.create_element("style")?;
    style.set_text_content(Some(MENU_STYLE));
    root.append_child(&style)?;
    let template = blank_button(document)?;
    let near = near_viewport()?;
    TAGGING.with(|t| {
        t.replace(Some(Tagging {
            document: document.clone(),
            rules,
            root,
            host,
            lang,
            template,
            near,
            tags: Vec::new(),
            tagged: HashMap::new(),
            menu: None,
            notice: None,
        }))
    });
    if let Some(body) = document.body() {
        with(|t| t.watch_under(&body));
    }
    listen(document)?;
    request(json!({ "op": "tagged" }), |reply| {
        with(|t| t.learn(&reply));
    });
    Ok(())
}

/// The page observer's batch: the posts it found among the elements the site added, and
/// those around them (a re-rendered action bar brings its post), get their button once
/// they come near the viewport. Watching a post twice is harmless.
pub fn observed(added: &[Element], posts: &[Element]) {
    with(|t| {
        let sel = selector(&t.rules.article);
        let around = added
            .iter()
            .filter_map(|el| el.closest(&sel).ok().flatten());
        for post in posts.iter().cloned().chain(around) {
            t.near.observe(&post);
        }
    });
}

/// The observer of posts near the viewport (a screen above and below it): decorates each
/// post as it comes in range, once per node (a re-rendered post is a new node, or is
/// watched again when the site touches it).
fn near_viewport() -> Result<IntersectionObserver, JsValue> {
    let callback = Closure::<dyn FnMut(js_sys::Array, IntersectionObserver)>::new(
        |entries: js_sys::Array, observer: IntersectionObserver| {
            with(|t| {
                for entry in entries.iter() {
                    let Ok(entry) = entry.dyn_into::<IntersectionObserverEntry>() else {
                        continue;
                    };
                    if entry.is_intersecting() {
                        let post = entry.target();
                        observer.unobserve(&post);
                        t.decorate(&post);
                    }
                }
            });
        },
    );
    let init = IntersectionObserverInit::new();
    init.set_root_margin("100% 0px");
    let observer =
        IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &init)?;
    callback.forget();
    Ok(observer)
}

fn selector(list: &[String]) -> String {
    list.join(", ")
}

/// Text of `node` as shown: text nodes, emoji `<img alt>`, line breaks between blocks; a
/// link shortened with "…" keeps its full address.
pub(super) fn text_of(node: &Node, out: &mut String) {
    let children = node.child_nodes();
    for i in 0..children.length() {
        let Some(child) = children.item(i) else {
            continue;
        };
        match child.node_type() {
            Node::TEXT_NODE => out.push_str(&child.node_value().unwrap_or_default()),
            Node::ELEMENT_NODE => {
                let Ok(el) = child.dyn_into::<Element>() else {
                    continue;
                };
                match el.local_name().as_str() {
                    "img" => out.push_str(&el.get_attribute("alt").unwrap_or_default()),
                    "br" => out.push('\n'),
                    BUTTON_TAG | "script" | "style" => {}
                    "a" => {
                        let mut link = String::new();
                        text_of(&el, &mut link);
                        let shortened = link.starts_with("http") && link.ends_with('…');
                        out.push_str(if shortened {
                            link.trim_end_matches('…')
                        } else {
                            &link
                        });
                    }
                    name => {
                        let block = matches!(name, "div" | "p" | "li");
                        if block && !out.is_empty() && !out.ends_with('\n') {
                            out.push('\n');
                        }
                        text_of(&el, out);
                    }
                }
            }
            _ => {}
        }
    }
}

fn href(el: &Element) -> String {
    js_sys::Reflect::get(el, &"href".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

impl Tagging {
    /// Watches the posts under `root` (the page's, at start) until they come near the
    /// viewport.
    fn watch_under(&self, root: &Element) {
        let Ok(found) = root.query_selector_all(&selector(&self.rules.article)) else {
            return;
        };
        for i in 0..found.length() {
            if let Some(post) = found.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                self.near.observe(&post);
            }
        }
    }

    /// Whether `el` (inside `article`) belongs to a nested post (a quote, a comment).
    fn nested(&self, article: &Element, el: &Element) -> bool {
        self.rules.nested.iter().any(|sel| {
            el.closest(sel)
                .ok()
                .flatten()
                .is_some_and(|c| &c != article && article.contains(Some(&c)))
        })
    }

    /// The first element for `selectors` (tried in order) that is the article's own.
    fn first(&self, article: &Element, selectors: &[String]) -> Option<Element> {
        selectors.iter().find_map(|sel| {
            // The first match is almost always the article's own: look no further then.
            let first = article.query_selector(sel).ok()??;
            if !self.nested(article, &first) {
                return Some(first);
            }
            let found = article.query_selector_all(sel).ok()?;
            (0..found.length())
                .filter_map(|i| found.item(i)?.dyn_into::<Element>().ok())
                .find(|el| !self.nested(article, el))
        })
    }

    fn text(&self, article: &Element, selectors: &[String]) -> String {
        let mut out = String::new();
        if let Some(el) = self.first(article, selectors) {
            text_of(&el, &mut out);
        }
        out
    }

    /// Reads the post: the pack says where, the core decides what it means.
    fn sighting(&self, article: &Element) -> Sighting {
        let author = self.first(article, &self.rules.author);
        let promoted = !self.rules.promoted.is_empty()
            && article
                .closest(&selector(&self.rules.promoted))
                .ok()
                .flatten()
                .is_some();
        Sighting {
            permalink: self
                .first(article, &self.rules.permalink)
                .map(|a| href(&a))
                .unwrap_or_default(),
            page_url: self.document.url().unwrap_or_default(),
            author_name: author.as_ref().map_or(String::new(), |a| {
                let mut s = String::new();
                text_of(a, &mut s);
                s
            }),
            author_href: author.as_ref().map(href).unwrap_or_default(),
            handle_text: self.text(article, &self.rules.handle),
            label: article.get_attribute("aria-label").unwrap_or_default(),
            label_prefixes: self.rules.author_label_prefixes.clone(),
            text: self.text(article, &self.rules.text),
            datetime: self
                .first(article, &self.rules.time)
                .and_then(|t| t.get_attribute("datetime"))
                .unwrap_or_default(),
            promoted,
        }
    }

    /// The item id the post would be captured under (none without a usable permalink).
    fn item_id(&self, article: &Element) -> Option<String> {
        let link = self
            .first(article, &self.rules.permalink)
            .map(|a| href(&a))?;
        canonicalize(&link).ok().filter(|c| c.is_post).map(|c| c.id)
    }

    fn ignored(&self, article: &Element) -> bool {
        !self.rules.ignore_inside.is_empty()
            && article
                .closest(&selector(&self.rules.ignore_inside))
                .ok()
                .flatten()
                .is_some()
    }

    /// The post's own button, if it has one.
    fn button_of(&self, article: &Element) -> Option<HtmlElement> {
        let sel = selector(&self.rules.article);
        let found = article.query_selector_all(BUTTON_TAG).ok()?;
        (0..found.length())
            .filter_map(|i| found.item(i)?.dyn_into::<HtmlElement>().ok())
            .find(|b| b.closest(&sel).ok().flatten().as_ref() == Some(article))
    }

    /// A button among `parent`'s children: where [`Tagging::decorate`] puts them, so
    /// checking a new post costs no walk through its markup.
    fn child_button(parent: &Element) -> Option<HtmlElement> {
        let children = parent.children();
        (0..children.length())
            .filter_map(|i| children.item(i))
            .find(|c| c.local_name() == BUTTON_TAG)
            .and_then(|c| c.dyn_into::<HtmlElement>().ok())
    }

    /// Gives the post its one button (moved, not doubled, if the anchor changed).
    fn decorate(&self, article: &Element) {
        if self.ignored(article) {
            return;
        }
        let anchor = self
            .first(article, &self.rules.button_anchor)
            .unwrap_or_else(|| article.clone());
        let id = self.item_id(article).unwrap_or_default();
        // A copy of the post's markup can carry a copy of our button (the site cloned the
        // node): it is a whole button (light DOM, one listener at the window), so it stays.
        let placed = Self::child_button(&anchor).or_else(|| {
            (&anchor != article)
                .then(|| Self::child_button(article))
                .flatten()
        });
        let button = match placed {
            Some(b) => b,
            None => match self.new_button() {
                Ok(b) => b,
                Err(_) => return,
            },
        };
        if button.parent_element().as_ref() != Some(&anchor) {
            let _ = anchor.append_child(&button);
        }
        if button.get_attribute("data-tact-id").as_deref() != Some(&id) {
            let _ = button.set_attribute("data-tact-id", &id);
            self.paint(&button);
        }
    }

    fn new_button(&self) -> Result<HtmlElement, JsValue> {
        Ok(self.template.clone_node_with_deep(true)?.unchecked_into())
    }

    /// Draws the button's content: the post's tags as coloured chips, or a tag symbol.
    fn paint(&self, button: &HtmlElement) {
        let id = button.get_attribute("data-tact-id").unwrap_or_default();
        let tags = self.tagged.get(&id).cloned().unwrap_or_default();
        if tags.is_empty() {
            if button.has_attribute("data-tact-tagged") {
                let _ = button.remove_attribute("data-tact-tagged");
                button.set_text_content(Some(TAG_SYMBOL));
            }
            return;
        }
        let _ = button.set_attribute("data-tact-tagged", &tags.join(" "));
        button.set_text_content(None);
        for tag in &tags {
            let Ok(chip) = self.document.create_element(CHIP_TAG) else {
                continue;
            };
            let (name, color) = match self.tags.iter().find(|t| &t.id == tag) {
                Some(t) => (t.name(self.lang).to_string(), t.color.clone()),
                None => (tag.clone(), "#616161".to_string()),
            };
            chip.set_text_content(Some(&name));
            let _ = chip.set_attribute("style", &format!("background:{color}"));
            let _ = button.append_child(&chip);
        }
    }

    fn repaint(&self, id: &str) {
        let Ok(found) = self
            .document
            .query_selector_all(&format!("{BUTTON_TAG}[data-tact-id=\"{id}\"]"))
        else {
            return;
        };
        for i in 0..found.length() {
            if let Some(b) = found.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
                self.paint(&b);
            }
        }
    }

    /// Takes the worker's vocabulary and tagged items (`{ tags, items }`).
    fn learn(&mut self, reply: &Value) {
        if let Ok(tags) = Vec::<Tag>::deserialize(&reply["tags"]) {
            self.tags = tags;
        }
        if let Ok(items) = HashMap::<String, Vec<String>>::deserialize(&reply["items"]) {
            self.tagged = items;
        }
        if let Ok(found) = self.document.query_selector_all(BUTTON_TAG) {
            for i in 0..found.length() {
                if let Some(b) = found.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
                    self.paint(&b);
                }
            }
        }
    }

    fn close_menu(&mut self) {
        if let Some((menu, _)) = self.menu.take() {
            menu.remove();
        }
    }

    /// Opens the tag menu for `article`, next to its button.
    fn open_menu(&mut self, article: &Element) -> Result<(), JsValue> {
        self.close_menu();
        let id = self.item_id(article).unwrap_or_default();
        let on = self.tagged.get(&id).cloned().unwrap_or_default();
        let rect = self
            .button_of(article)
            .map(|b| b.get_bounding_client_rect())
            .unwrap_or_else(|| article.get_bounding_client_rect());
        let menu = element(&self.document, "div", "tag-menu")?;
        menu.set_attribute("role", "menu")?;
        menu.set_attribute("aria-label", &i18n::text("tagMenu", &[]))?;
        for tag in &self.tags {
            let entry = element(&self.document, "button", "")?;
            entry.set_attribute("data-tact-tag", &tag.id)?;
            entry.set_attribute("role", "menuitemcheckbox")?;
            entry.set_attribute("aria-checked", &on.contains(&tag.id).to_string())?;
            let swatch = self.document.create_element("i")?;
            swatch.set_attribute("style", &format!("background:{}", tag.color))?;
            entry.append_child(&swatch)?;
            entry.append_child(&self.document.create_text_node(tag.name(self.lang)))?;
            if let Some(d) = tag.digit {
                let kbd = self.document.create_element("kbd")?;
                kbd.set_text_content(Some(&format!("Alt+{d}")));
                entry.append_child(&kbd)?;
            }
            menu.append_child(&entry)?;
        }
        let style = menu.style();
        style.set_property("visibility", "hidden")?;
        let click = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
            let entry = event
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|el| el.closest("[data-tact-tag]").ok().flatten());
            if let Some(tag) = entry.and_then(|e| e.get_attribute("data-tact-tag")) {
                event.stop_propagation();
                let article = with(|t| t.menu.as_ref().map(|(_, a)| a.clone())).flatten();
                if let Some(article) = article {
                    toggle(&article, &tag);
                }
            }
        });
        menu.add_event_listener_with_callback("click", click.as_ref().unchecked_ref())?;
        click.forget();
        self.root.append_child(&menu)?;
        // Below the button, or above it when the viewport has no room left (one layout
        // read, on a click, never on the feed's hot path).
        let window = self.document.default_view().ok_or("no window")?;
        let number = |v: Result<JsValue, JsValue>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
        let (view_w, view_h) = (number(window.inner_width()), number(window.inner_height()));
        let (w, h) = (
            f64::from(menu.offset_width()),
            f64::from(menu.offset_height()),
        );
        let top = if rect.bottom() + 4.0 + h > view_h {
            (rect.top() - 4.0 - h).max(4.0)
        } else {
            rect.bottom() + 4.0
        };
        let left = rect.left().min(view_w - w - 4.0).max(4.0);
        style.set_property("left", &format!("{left}px"))?;
        style.set_property("top", &format!("{top}px"))?;
        style.remove_property("visibility")?;
        if let Some(first) = menu
            .query_selector("button")?
            .and_then(|b| b.dyn_into::<HtmlElement>().ok())
        {
            let _ = first.focus();
        }
        self.menu = Some((menu, article.clone()));
        Ok(())
    }

    /// Shows a short message (a warning or a storage error) until the next one.
    fn notify(&mut self, text: &str, error: bool) {
        if let Some(old) = self.notice.take() {
            old.remove();
        }
        let Ok(notice) = element(&self.document, "div", "tag-notice") else {
            return;
        };
        let _ = notice.set_attribute("role", if error { "alert" } else { "status" });
        notice.set_text_content(Some(text));
        let _ = self.root.append_child(&notice);
        self.notice = Some(notice);
    }

    /// The post the CM is on: the focused one (X's j/k focuses posts).
    fn focused_article(&self) -> Option<Element> {
        self.document
            .active_element()?
            .closest(&selector(&self.rules.article))
            .ok()
            .flatten()
    }
}

/// The button every post's is cloned from: focusable, a menu opener, its tooltip.
fn blank_button(document: &Document) -> Result<Element, JsValue> {
    let button = element(document, BUTTON_TAG, "tag-button")?;
    let title = i18n::text("tagButton", &[]);
    for (name, value) in [
        ("role", "button"),
        ("tabindex", "0"),
        ("aria-haspopup", "menu"),
        ("title", &title),
        ("aria-label", &title),
    ] {
        button.set_attribute(name, value)?;
    }
    button.set_text_content(Some(TAG_SYMBOL));
    Ok(button.into())
}

/// Sends `request` to the worker and calls `done` with its reply (`{ ok, … }`).
fn request(request: Value, done: impl FnOnce(Value) + 'static) {
    let Some(host) = with(|t| t.host.clone()) else {
        return;
    };
    let call = js_sys::Reflect::get(&host, &"inbox".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&host, &request.to_string().into()).ok())
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    let Some(promise) = call else {
        return;
    };
    let on_reply = Closure::once(move |reply: JsValue| {
        let reply = reply
            .as_string()
            .and_then(|s| crate::config::from_json(&s).ok())
            .unwrap_or_else(|| json!({ "ok": false, "error": "no answer from Tact's worker" }));
        done(reply);
    });
    let on_error = Closure::once(move |error: JsValue| {
        let message = error.as_string().unwrap_or_else(|| format!("{error:?}"));
        with(|t| t.notify(&i18n::text("tagFailed", &[&message]), true));
    });
    let _ = promise.then2(&on_reply, &on_error);
    // Each runs at most once, when the worker answers.
    on_reply.forget();
    on_error.forget();
}

/// Captures the post and toggles `tag` on it; the button and menu follow the answer.
fn toggle(article: &Element, tag: &str) {
    let Some(sighting) = with(|t| t.sighting(article)) else {
        return;
    };
    let body = json!({ "op": "toggle", "sighting": sighting, "tag": tag });
    let article = article.clone();
    request(body, move |reply| {
        with(|t| {
            if reply["ok"] != true {
                let error = reply["error"].as_str().unwrap_or("unknown error");
                t.notify(&i18n::text("tagFailed", &[error]), true);
                return;
            }
            let id = reply["id"].as_str().unwrap_or_default().to_string();
            let tags = Vec::<String>::deserialize(&reply["tags"]).unwrap_or_default();
            if tags.is_empty() {
                t.tagged.remove(&id);
            } else {
                t.tagged.insert(id.clone(), tags.clone());
            }
            // A post without a permalink learns its id (the page's) from the answer.
            if let Some(button) = t.button_of(&article) {
                let _ = button.set_attribute("data-tact-id", &id);
            }
            t.repaint(&id);
            if let Some((menu, _)) = &t.menu {
                if let Ok(entries) = menu.query_selector_all("[data-tact-tag]") {
                    for i in 0..entries.length() {
                        if let Some(e) = entries.item(i).and_then(|n| n.dyn_into::<Element>().ok())
                        {
                            let on = e
                                .get_attribute("data-tact-tag")
                                .is_some_and(|tag| tags.contains(&tag));
                            let _ = e.set_attribute("aria-checked", &on.to_string());
                        }
                    }
                }
            }
            let warnings = Vec::<String>::deserialize(&reply["warnings"]).unwrap_or_default();
            if !warnings.is_empty() {
                t.notify(&warnings.join("; "), false);
            }
        });
    });
}

fn on_click(event: web_sys::Event) {
    let target = event.target().and_then(|t| t.dyn_into::<Element>().ok());
    let button = target.as_ref().and_then(|t| {
        t.closest(&format!("{BUTTON_TAG}[data-tact=\"tag-button\"]"))
            .ok()
            .flatten()
    });
    match button {
        Some(button) => {
            // The site must not open the post under the button.
            event.prevent_default();
            event.stop_immediate_propagation();
            with(|t| {
                let sel = selector(&t.rules.article);
                let article = button.closest(&sel).ok().flatten();
                let same = t.menu.as_ref().map(|(_, a)| a) == article.as_ref();
                if same {
                    t.close_menu();
                } else if let Some(article) = article {
                    let _ = t.open_menu(&article);
                }
            });
        }
        None => {
            let in_overlay = target.is_some_and(|t| t.local_name() == "tact-overlay");
            if !in_overlay {
                with(Tagging::close_menu);
            }
        }
    }
}

/// `Alt+1..9` toggles tag N on the focused post, `Alt+0` opens its menu, Escape closes it;
/// Enter or Space on a focused button opens the menu.
fn on_key(event: KeyboardEvent) {
    if event.key() == "Escape" {
        with(Tagging::close_menu);
        return;
    }
    let on_button = event
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|t| t.local_name() == BUTTON_TAG);
    if on_button && (event.key() == "Enter" || event.key() == " ") {
        event.prevent_default();
        event.stop_immediate_propagation();
        with(|t| {
            if let Some(article) = t.focused_article() {
                let _ = t.open_menu(&article);
            }
        });
        return;
    }
    if !event.alt_key() || event.ctrl_key() || event.meta_key() || typing(&event) {
        return;
    }
    // `code`, not `key`: Alt+digit types other characters on some layouts (macOS, AZERTY).
    let Some(digit) = event
        .code()
        .strip_prefix("Digit")
        .and_then(|d| d.parse::<u8>().ok())
    else {
        return;
    };
    let Some((article, tag)) = with(|t| {
        let article = t.focused_article()?;
        let tag = t
            .tags
            .iter()
            .find(|tag| tag.digit == Some(digit))
            .map(|tag| tag.id.clone());
        Some((article, tag))
    })
    .flatten() else {
        return;
    };
    event.prevent_default();
    event.stop_immediate_propagation();
    match (digit, tag) {
        (0, _) => {
            let _ = with(|t| t.open_menu(&article));
        }
        (_, Some(tag)) => toggle(&article, &tag),
        (_, None) => {}
    }
}

/// Whether the key goes to a text field (a reply box inside a post): its `Alt+digit`
/// belongs to the reply suggestions, not to quick-tag.
fn typing(event: &KeyboardEvent) -> bool {
    let Some(target) = event
        .target()
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
    else {
        return false;
    };
    target.is_content_editable() || matches!(target.local_name().as_str(), "input" | "textarea")
}

fn listen(document: &Document) -> Result<(), JsValue> {
    let window = document.default_view().ok_or("no window")?;
    let click = Closure::<dyn FnMut(web_sys::Event)>::new(on_click);
    window.add_event_listener_with_callback_and_bool(
        "click",
        click.as_ref().unchecked_ref(),
        true,
    )?;
    click.forget();
    let key = Closure::<dyn FnMut(KeyboardEvent)>::new(on_key);
    window.add_event_listener_with_callback_and_bool(
        "keydown",
        key.as_ref().unchecked_ref(),
        true,
    )?;
    key.forget();
    Ok(())
}
