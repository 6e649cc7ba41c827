//! Coverage-guided fuzzing of the whole pipeline: read + extract + signals + model.
//!
//! The first input byte picks what the caller says about the bytes (content type, name hint,
//! URL); the rest is the body. Any panic, abort, timeout or out-of-memory is a bug: bad input
//! must end in a score or an error. A score must carry a probability in [0, 1] and finite
//! signal values.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pagescore::read::RawPage;
use pagescore::signals::Explain;
use pagescore::Scorer;
use std::sync::OnceLock;

const CONTENT_TYPES: [Option<&str>; 8] = [
    None,
    Some("text/html"),
    Some("text/html; charset=utf-8"),
    Some("text/html; charset=utf-16"),
    Some("text/html; charset=windows-1251"),
    Some("text/plain"),
    Some("application/gzip"),
    Some("\0garbage;charset=\u{ffff}"),
];

const HINTS: [Option<&str>; 4] = [None, Some("page.html"), Some("page.txt"), Some("page.html.gz")];

fn scorer() -> &'static Scorer {
    static S: OnceLock<Scorer> = OnceLock::new();
    S.get_or_init(|| Scorer::embedded().expect("the embedded model loads"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let raw = RawPage {
        bytes: body,
        url: (sel & 0x40 != 0).then_some("https://example.test/news/a.html"),
        content_type: CONTENT_TYPES[usize::from(sel & 7)],
        name_hint: HINTS[usize::from((sel >> 3) & 3)],
    };
    let explain = if sel & 0x80 != 0 { Explain::Detailed } else { Explain::Skip };
    let scorer = scorer();
    let inspected = scorer.inspect(&raw);
    match scorer.score(&raw, explain) {
        Ok(s) => {
            assert!((0.0..=1.0).contains(&s.spam_probability), "probability {}", s.spam_probability);
            for sig in &s.signals {
                assert!(sig.value.is_finite(), "{} = {}", sig.name, sig.value);
                assert!(sig.contribution.is_finite(), "{} contribution", sig.name);
            }
            assert!(inspected.is_ok(), "score succeeded where inspect failed");
        }
        Err(_) => {}
    }
});
