//! The wasm build of the core, run in headless Chromium by wasm-bindgen's runner: the facade
//! answers with UTF-16 spans and the page layer attaches to editors in a real DOM.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(value: &wasm_bindgen::JsValue, key: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(value, &key.into()).expect("report field")
}

#[wasm_bindgen_test]
fn check_reports_utf16_spans_in_the_browser() {
    let report = tact::web::check("👋 vous êtes des imbéciles").expect("check");
    assert_eq!(get(&report, "verdict").as_string().as_deref(), Some("warn"));
    let findings: js_sys::Array = get(&report, "findings").dyn_into().expect("array");
    assert_eq!(findings.length(), 1);
    let first = findings.get(0);
    // "👋" is two UTF-16 units: "imbéciles" starts at unit 17.
    assert_eq!(get(&first, "start").as_f64(), Some(17.0));
    assert_eq!(get(&first, "end").as_f64(), Some(26.0));
}

#[wasm_bindgen_test]
fn page_layer_stays_idle_where_no_site_pack_applies() {
    // The test page is served from 127.0.0.1, which no pack serves.
    assert_eq!(
        tact::web::start("", wasm_bindgen::JsValue::UNDEFINED).expect("start"),
        None
    );
    let document = web_sys::window().unwrap().document().unwrap();
    assert!(document.query_selector("tact-overlay").unwrap().is_none());
}
