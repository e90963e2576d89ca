//! The model and the playback clock import no web crate, so they run and
//! are tested natively. This test reads the sources and fails on any use.

use std::fs;
use std::path::{Path, PathBuf};

const WEB_CRATES: [&str; 5] = ["yew", "web_sys", "js_sys", "wasm_bindgen", "gloo"];

fn rust_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(path).expect("source folder is readable") {
        files.extend(rust_files(&entry.expect("folder entry is readable").path()));
    }
    files.retain(|file| file.extension().is_some_and(|ext| ext == "rs"));
    files
}

/// Returns the web crates that a line names as a path root, such as `yew::` or `use web_sys`.
fn web_crates_named(line: &str) -> Vec<&'static str> {
    let code = line.split("//").next().unwrap_or("");
    WEB_CRATES
        .into_iter()
        .filter(|name| {
            code.match_indices(name).any(|(at, _)| {
                let before = code[..at].chars().last();
                let after = &code[at + name.len()..];
                let starts_word = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
                starts_word && (after.starts_with("::") || after.starts_with('_') || after.starts_with(';'))
            })
        })
        .collect()
}

#[test]
fn model_imports_no_web_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    for part in ["sim", "scenario", "playback.rs", "gallery.rs", "charts.rs", "export.rs", "export"] {
        for file in rust_files(&root.join(part)) {
            let text = fs::read_to_string(&file).expect("source file is readable");
            for (number, line) in text.lines().enumerate() {
                let named = web_crates_named(line);
                if !named.is_empty() {
                    offenders.push(format!("{}:{}: {named:?}", file.display(), number + 1));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "web crates in the model:\n{}", offenders.join("\n"));
}

#[test]
fn detector_finds_paths() {
    assert_eq!(web_crates_named("use yew::prelude::*;"), ["yew"]);
    assert_eq!(web_crates_named("    web_sys::console::log_1(&x);"), ["web_sys"]);
    assert_eq!(web_crates_named("let yewish = 1; // yew::x"), Vec::<&str>::new());
    assert_eq!(web_crates_named("gloo_timers::callback::Timeout::new"), ["gloo"]);
}
