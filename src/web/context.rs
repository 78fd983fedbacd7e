//! The comment a reply editor answers, read through the site pack: the nearest
//! `reply_context` match that encloses the editor or comes before it in the page, then its
//! author, handle and text (`reply` parts). Page text is only read, never drawn as markup.

use crate::sites::SitePack;
use crate::text::lang::Lang;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// What the page says about the comment being answered.
pub struct ReplyContext {
    pub author: Option<String>,
    pub handle: Option<String>,
    pub text: String,
    /// The language the site itself marked the text with (X's `lang`), if any.
    pub lang: Option<Lang>,
}

/// The reply context of `editor`, when the pack knows how to read one and the page has it.
pub fn find(editor: &Element, pack: &SitePack) -> Option<ReplyContext> {
    let parts = pack.reply.as_ref()?;
    let container = container(
        editor,
        &pack.reply_context.join(", "),
        &parts.bounds.join(", "),
    )?;
    let (text_element, text) = first_with_text(&container, &parts.text)?;
    let lang = text_element.get_attribute("lang").and_then(|tag| {
        let tag = tag.to_ascii_lowercase();
        if tag.starts_with("fr") {
            Some(Lang::Fr)
        } else if tag.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    });
    Some(ReplyContext {
        author: first_with_text(&container, &parts.author).map(|(_, t)| t),
        handle: first_with_text(&container, &parts.handle).map(|(_, t)| t),
        text,
        lang,
    })
}

/// Walks up from the editor: at each level the nearest earlier sibling that is (or holds)
/// a context wins, then the ancestor itself if it is one; the walk stops at a bound.
/// So an inline reply under a tweet, a reply box after a comment and a composer inside
/// the post it answers all find what they answer. A post-level comment box placed after
/// comments (Facebook) finds the last comment: the one a CM most likely answers there.
fn container(editor: &Element, selector: &str, bounds: &str) -> Option<Element> {
    let is = |element: &Element, selector: &str| {
        !selector.is_empty() && element.matches(selector).unwrap_or(false)
    };
    let mut node = editor.clone();
    loop {
        let mut sibling = node.previous_element_sibling();
        while let Some(s) = sibling {
            if is(&s, selector) {
                return Some(s);
            }
            if let Some(last) = last_match(&s, selector) {
                return Some(last);
            }
            sibling = s.previous_element_sibling();
        }
        let parent = node.parent_element()?;
        if is(&parent, selector) {
            return Some(parent);
        }
        if is(&parent, bounds) {
            return None;
        }
        node = parent;
    }
}

/// The last match inside `element`, in document order: the one nearest the editor.
fn last_match(element: &Element, selector: &str) -> Option<Element> {
    let list = element.query_selector_all(selector).ok()?;
    let last = list.length().checked_sub(1)?;
    list.item(last)?.dyn_into().ok()
}

/// The first element with text among `selectors` (tried in order) inside `container`.
fn first_with_text(container: &Element, selectors: &[String]) -> Option<(Element, String)> {
    selectors.iter().find_map(|selector| {
        let list = container.query_selector_all(selector).ok()?;
        (0..list.length()).find_map(|i| {
            let element: Element = list.item(i)?.dyn_into().ok()?;
            let text = visible_text(&element);
            (!text.is_empty()).then_some((element, text))
        })
    })
}

/// The element's text as shown (emoji images as their `alt`, as quick-tag reads posts),
/// whitespace collapsed.
fn visible_text(element: &Element) -> String {
    let mut out = String::new();
    super::tagging::text_of(element, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
