//! Tact's own drawing surface: one host element at the end of `<html>` with an open shadow
//! root, so the site's CSS cannot reach our overlays and we never touch the site's DOM.

use crate::report::Report;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

const STYLE: &str = "
:host { all: initial; }
[data-tact=\"badge\"] {
  position: fixed; z-index: 2147483646; display: inline-flex; align-items: center; gap: 4px;
  min-width: 18px; height: 18px; padding: 0 6px; border-radius: 9px;
  font: 600 11px/18px system-ui, sans-serif; color: #fff; background: #1d9b5f;
  box-shadow: 0 1px 3px rgba(0,0,0,.3); pointer-events: auto; cursor: default;
}
[data-tact-verdict=\"warn\"] { background: #b86e00; }
[data-tact-verdict=\"block\"] { background: #c62828; }
";

/// The shadow root all overlays are drawn in.
pub struct Overlay {
    root: ShadowRoot,
}

impl Overlay {
    pub fn attach(document: &Document) -> Result<Overlay, JsValue> {
        let host = document.create_element("tact-overlay")?;
        host.set_attribute("data-tact", "root")?;
        let init = ShadowRootInit::new(ShadowRootMode::Open);
        let root = host.attach_shadow(&init)?;
        let style = document.create_element("style")?;
        style.set_text_content(Some(STYLE));
        root.append_child(&style)?;
        document
            .document_element()
            .ok_or_else(|| JsValue::from_str("document has no root element"))?
            .append_child(&host)?;
        Ok(Overlay { root })
    }

    /// A new badge, drawn but not yet placed.
    pub fn badge(&self) -> Result<Badge, JsValue> {
        let document = self
            .root
            .owner_document()
            .ok_or("overlay has no document")?;
        let element = document.create_element("div")?.dyn_into::<HtmlElement>()?;
        element.set_attribute("data-tact", "badge")?;
        element.set_attribute("role", "status")?;
        self.root.append_child(&element)?;
        let badge = Badge { element };
        badge.show(&Report::from_findings(Vec::new()));
        Ok(badge)
    }
}

/// The verdict badge that sits at the bottom-right corner of one editor.
pub struct Badge {
    element: HtmlElement,
}

impl Badge {
    pub fn show(&self, report: &Report) {
        let verdict = report.verdict.as_str();
        let _ = self.element.set_attribute("data-tact-verdict", verdict);
        let count = report.findings.len();
        let label = if count == 0 {
            "✓".to_string()
        } else {
            count.to_string()
        };
        self.element.set_text_content(Some(&label));
        let title = format!("Tact: {verdict}, {count} finding(s)");
        let _ = self.element.set_attribute("title", &title);
        let _ = self.element.set_attribute("aria-label", &title);
    }

    /// Moves the badge to the editor's bottom-right corner (fixed positioning follows the
    /// viewport, so this runs after scrolls and resizes).
    pub fn place(&self, editor: &Element) {
        let rect = editor.get_bounding_client_rect();
        let style = self.element.style();
        let visible = rect.width() > 0.0 && rect.height() > 0.0;
        let _ = style.set_property("display", if visible { "inline-flex" } else { "none" });
        let _ = style.set_property("left", &format!("{}px", (rect.right() - 28.0).max(0.0)));
        let _ = style.set_property("top", &format!("{}px", (rect.bottom() - 22.0).max(0.0)));
    }

    pub fn remove(&self) {
        self.element.remove();
    }
}
