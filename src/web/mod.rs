//! The browser layer (wasm32 only): the wasm-bindgen facade and the page layer.
