//! Window-level listeners in the capture phase: they run before the site's own (React's
//! root listener, Lexical's editor listener), for the page layer's lifetime.

use wasm_bindgen::prelude::*;
use web_sys::{Event, Node};

/// An event type and its handler.
pub type Listener = (&'static str, fn(&Event));

/// Adds each listener to `target` in the capture phase, for good.
pub fn capture(target: &web_sys::EventTarget, listeners: &[Listener]) -> Result<(), JsValue> {
    for &(kind, handler) in listeners {
        let closure = Closure::<dyn FnMut(Event)>::new(move |event: Event| handler(&event));
        target.add_event_listener_with_callback_and_bool(
            kind,
            closure.as_ref().unchecked_ref(),
            true,
        )?;
        closure.forget();
    }
    Ok(())
}

/// The node an event was aimed at.
pub fn target_node(event: &Event) -> Option<Node> {
    event.target()?.dyn_into::<Node>().ok()
}
