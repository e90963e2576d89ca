//! A playground that shows, in the browser, why payment systems moved from
//! polling to webhooks.
//!
//! `scenario`, `sim`, `playback`, `export` and `state` are plain Rust: the
//! first four import no web crate, and `state` uses only Yew's `Reducible`
//! trait. The browser-facing code lives in `app`, `components`, `hooks`,
//! `storage` and `fatal`.

pub mod app;
pub mod browser;
pub mod charts;
pub mod components;
pub mod embed_api;
pub mod export;
pub mod fatal;
pub mod gallery;
pub mod hooks;
pub mod long_run;
pub mod playback;
pub mod scenario;
pub mod sim;
pub mod state;
pub mod storage;
pub mod tour;

/// Mounts the playground into the page's body.
pub fn start() {
    fatal::install_panic_hook();
    yew::Renderer::<app::App>::new().render();
}
