//! Underlines through the CSS Custom Highlight API: ranges are registered under
//! `tact-info|warn|block` and styled by `extension/page.css`. The editor's DOM is never
//! modified, so React and Lexical have nothing to revert. (Every Chrome the manifest admits,
//! 116+, has the API.)

use crate::report::Severity;
use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Range;

pub fn name(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "tact-info",
        Severity::Warn => "tact-warn",
        Severity::Block => "tact-block",
    }
}

/// One `Highlight` object per severity, registered in `CSS.highlights` at start-up.
pub struct Highlights {
    sets: Vec<(Severity, JsValue)>,
}

fn call(target: &JsValue, method: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let function: Function = Reflect::get(target, &method.into())?.dyn_into()?;
    let args: js_sys::Array = args.iter().map(|a| (*a).clone()).collect();
    function.apply(target, &args)
}

impl Highlights {
    pub fn register() -> Result<Highlights, JsValue> {
        let global = js_sys::global();
        let constructor: Function = Reflect::get(&global, &"Highlight".into())?.dyn_into()?;
        let css = Reflect::get(&global, &"CSS".into())?;
        let registry = Reflect::get(&css, &"highlights".into())?;
        let mut sets = Vec::new();
        for severity in [Severity::Info, Severity::Warn, Severity::Block] {
            let set = Reflect::construct(&constructor, &js_sys::Array::new())?;
            call(&registry, "set", &[&name(severity).into(), &set])?;
            sets.push((severity, set));
        }
        Ok(Highlights { sets })
    }

    fn set(&self, severity: Severity) -> Option<&JsValue> {
        self.sets
            .iter()
            .find(|(s, _)| *s == severity)
            .map(|(_, set)| set)
    }

    pub fn add(&self, severity: Severity, range: &Range) {
        if let Some(set) = self.set(severity) {
            let _ = call(set, "add", &[range]);
        }
    }

    pub fn remove(&self, severity: Severity, range: &Range) {
        if let Some(set) = self.set(severity) {
            let _ = call(set, "delete", &[range]);
        }
    }
}
