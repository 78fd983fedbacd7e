//! Tact's own drawing surface: one host element at the end of `<html>` with an open shadow
//! root, so the site's CSS cannot reach our overlays and we never touch the site's DOM.
//! Everything drawn here is built with `createElement` and `textContent` only.

use super::i18n;
use crate::report::Report;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Document, DomRect, Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode,
};

const STYLE: &str = include_str!("overlay.css");

/// The shadow root all overlays are drawn in.
pub struct Overlay {
    pub root: ShadowRoot,
    tooltip: HtmlElement,
}

/// `document.createElement(tag)` as an `HtmlElement` with `data-tact="{role}"`.
pub fn element(document: &Document, tag: &str, role: &str) -> Result<HtmlElement, JsValue> {
    let element = document.create_element(tag)?.dyn_into::<HtmlElement>()?;
    if !role.is_empty() {
        element.set_attribute("data-tact", role)?;
    }
    Ok(element)
}

/// Whether `el` is one of Tact's own hosts (the overlay, a tag button): all are named
/// `tact-…`, so the page observer can tell our insertions from the site's.
pub fn is_ours(el: &Element) -> bool {
    el.local_name().starts_with("tact-")
}

impl Overlay {
    pub fn attach(document: &Document) -> Result<Overlay, JsValue> {
        let host = document.create_element("tact-overlay")?;
        host.set_attribute("data-tact", "root")?;
        let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
        let style = document.create_element("style")?;
        style.set_text_content(Some(STYLE));
        root.append_child(&style)?;
        let tooltip = element(document, "div", "tooltip")?;
        tooltip.set_attribute("role", "tooltip")?;
        tooltip.set_hidden(true);
        root.append_child(&tooltip)?;
        document
            .document_element()
            .ok_or("document has no root element")?
            .append_child(&host)?;
        Ok(Overlay { root, tooltip })
    }

    pub fn document(&self) -> Option<Document> {
        self.root.owner_document()
    }

    /// Shows `text` just below `rect` (viewport coordinates).
    pub fn show_tooltip(&self, text: &str, rect: &DomRect) {
        self.tooltip.set_text_content(Some(text));
        let style = self.tooltip.style();
        let _ = style.set_property("left", &format!("{}px", rect.left().max(4.0)));
        let _ = style.set_property("top", &format!("{}px", rect.bottom() + 6.0));
        self.tooltip.set_hidden(false);
    }

    pub fn hide_tooltip(&self) {
        self.tooltip.set_hidden(true);
    }

    /// A new badge, drawn but not yet placed.
    pub fn badge(&self) -> Result<Badge, JsValue> {
        let document = self.document().ok_or("overlay has no document")?;
        let element = element(&document, "div", "badge")?;
        element.set_attribute("role", "status")?;
        self.root.append_child(&element)?;
        let badge = Badge { element };
        badge.show(&Report::from_findings(Vec::new()), None);
        Ok(badge)
    }
}

/// The verdict badge at the bottom-right corner of one editor.
pub struct Badge {
    element: HtmlElement,
}

impl Badge {
    /// Shows the verdict and count; `foreign_account` names an active account that is not
    /// the brand's.
    pub fn show(&self, report: &Report, foreign_account: Option<&str>) {
        let verdict = report.verdict.as_str();
        let _ = self.element.set_attribute("data-tact-verdict", verdict);
        let count = report.findings.len();
        let mut label = if count == 0 {
            "✓".to_string()
        } else {
            count.to_string()
        };
        let mut title = i18n::text(
            "badgeTitle",
            &[
                &i18n::text(&format!("verdict_{verdict}"), &[]),
                &count.to_string(),
            ],
        );
        match foreign_account {
            Some(account) => {
                label.push_str(" · ⚠");
                title = format!("{title}. {}", i18n::text("badgeNotBrand", &[account]));
                let _ = self.element.set_attribute("data-tact-account", "foreign");
            }
            None => {
                let _ = self.element.remove_attribute("data-tact-account");
            }
        }
        self.element.set_text_content(Some(&label));
        let _ = self.element.set_attribute("title", &title);
        let _ = self.element.set_attribute("aria-label", &title);
    }

    /// Moves the badge to the editor's bottom-right corner (fixed positioning: this runs
    /// again after scrolls and resizes).
    pub fn place(&self, editor: &Element) {
        let rect = editor.get_bounding_client_rect();
        let style = self.element.style();
        let visible = rect.width() > 0.0 && rect.height() > 0.0;
        let _ = style.set_property("display", if visible { "inline-flex" } else { "none" });
        let _ = style.set_property("left", &format!("{}px", (rect.right() - 30.0).max(0.0)));
        let _ = style.set_property("top", &format!("{}px", (rect.bottom() - 24.0).max(0.0)));
    }

    pub fn remove(&self) {
        self.element.remove();
    }
}
