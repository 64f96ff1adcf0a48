//! Generates the translation tables from `locales/*.json`; a missing key fails the build.

use std::path::Path;

/// (file, `Language` variant); the first is the reference every other is checked against.
const LOCALES: [(&str, &str); 3] = [("en", "English"), ("zh-CN", "SimplifiedChinese"), ("ko", "Korean")];

fn main() {
    println!("cargo::rerun-if-changed=locales");
    let mut languages = Vec::new();
    for (tag, variant) in LOCALES {
        let path = Path::new("locales").join(format!("{tag}.json"));
        match lane_i18n_build::read(&path, variant) {
            Ok(messages) => languages.push(messages),
            Err(error) => panic!("translations: {error}"),
        }
    }
    let code = lane_i18n_build::generate(&languages, "lane_domain::Language").unwrap_or_else(|error| panic!("translations: {error}"));
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("messages.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
