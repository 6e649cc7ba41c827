//! Real pages as template shells: a scraper site's page keeps its head, navigation, scripts and
//! footer and swaps in stolen content. The same edit, with only a widget added, makes innocent
//! look-alikes out of real ham pages.

use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};
use std::cell::{Cell, RefCell};

/// Main-content containers, most specific first.
pub const CONTAINERS: &[&str] = &[
    "[itemprop=\"articleBody\"]",
    ".entry-content",
    ".post-content",
    ".article-body",
    ".article-content",
    ".story-body",
    ".post-body",
    "article",
    "main",
    "#content",
    "#main",
    ".content",
];

const WIDGETS: &str = "[class*=\"related\"], [id*=\"related\"], [class*=\"trending\"], [class*=\"popular\"], [class*=\"recommend\"], [class*=\"most-read\"], [class*=\"mostread\"]";

/// The first container selector present in the page, if any.
pub fn find_container(html: &str) -> Option<&'static str> {
    let seen = RefCell::new(vec![false; CONTAINERS.len()]);
    let mut settings = RewriteStrSettings::new();
    for (i, sel) in CONTAINERS.iter().enumerate() {
        let seen = &seen;
        settings = settings.append_element_content_handler(element!(*sel, move |_el| {
            seen.borrow_mut()[i] = true;
            Ok(())
        }));
    }
    rewrite_str(html, settings).ok()?;
    let seen = seen.into_inner();
    CONTAINERS
        .iter()
        .zip(seen)
        .find(|(_, s)| *s)
        .map(|(c, _)| *c)
}

/// What to change in a shell. `None`/empty fields leave the page as it is.
#[derive(Default)]
pub struct Edit {
    /// New `<title>` text (escaped by the caller? no: plain text).
    pub title_full: Option<String>,
    /// New headline for the first `<h1>` and og/twitter titles.
    pub title: Option<String>,
    /// New meta description.
    pub desc: Option<String>,
    /// New inner HTML of the main container.
    pub body_html: Option<String>,
    /// HTML inserted after the main container.
    pub after_html: String,
    /// HTML prepended to the first `<aside>`.
    pub aside_html: String,
    /// Inner HTML for existing related/trending widgets (one per widget, in order).
    pub widgets: Vec<String>,
    /// A wrong date for `<time>` and meta: (iso, visible).
    pub date: Option<(String, String)>,
    /// Inner HTML of an existing breadcrumb.
    pub breadcrumb_html: Option<String>,
    /// Drop JSON-LD blocks (they describe the original article).
    pub drop_jsonld: bool,
}

/// Applies the edit to a page, with `container` as the main-content selector.
pub fn apply(html: &str, container: &str, e: &Edit) -> Option<String> {
    let title_done = Cell::new(false);
    let h1_done = Cell::new(false);
    let cont_done = Cell::new(false);
    let aside_done = Cell::new(false);
    let crumb_done = Cell::new(false);
    let widget_i = Cell::new(0usize);
    let esc = crate::util::esc;
    let mut s = RewriteStrSettings::new();
    if let Some(t) = &e.title_full {
        let (done, t) = (&title_done, esc(t));
        s = s.append_element_content_handler(element!("title", move |el| {
            if !done.replace(true) {
                el.set_inner_content(&t, ContentType::Html);
            }
            Ok(())
        }));
    }
    if let Some(t) = &e.title {
        let t2 = t.clone();
        s = s.append_element_content_handler(element!(
            "meta[property=\"og:title\"], meta[name=\"twitter:title\"], meta[name=\"title\"]",
            move |el| {
                el.set_attribute("content", &t2)?;
                Ok(())
            }
        ));
        let (done, t) = (&h1_done, esc(t));
        s = s.append_element_content_handler(element!("h1", move |el| {
            if !done.replace(true) {
                el.set_inner_content(&t, ContentType::Html);
            }
            Ok(())
        }));
    }
    if let Some(d) = &e.desc {
        let d = d.clone();
        s = s.append_element_content_handler(element!(
            "meta[name=\"description\"], meta[property=\"og:description\"], meta[name=\"twitter:description\"]",
            move |el| {
                el.set_attribute("content", &d)?;
                Ok(())
            }
        ));
    }
    {
        let done = &cont_done;
        let body = e.body_html.clone();
        let after = e.after_html.clone();
        let paragraphs = container == "p";
        s = s.append_element_content_handler(element!(container, move |el| {
            if paragraphs {
                if done.replace(true) {
                    el.remove();
                } else {
                    el.replace(
                        &format!("{}{after}", body.as_deref().unwrap_or("")),
                        ContentType::Html,
                    );
                }
            } else if !done.replace(true) {
                if let Some(b) = &body {
                    el.set_inner_content(b, ContentType::Html);
                }
                if !after.is_empty() {
                    el.after(&after, ContentType::Html);
                }
            }
            Ok(())
        }));
    }
    if !e.aside_html.is_empty() {
        let (done, a) = (&aside_done, e.aside_html.clone());
        s = s.append_element_content_handler(element!("aside", move |el| {
            if !done.replace(true) {
                el.prepend(&a, ContentType::Html);
            }
            Ok(())
        }));
    }
    if !e.widgets.is_empty() {
        let (i, w) = (&widget_i, e.widgets.clone());
        s = s.append_element_content_handler(element!(WIDGETS, move |el| {
            let tag = el.tag_name();
            if ["div", "section", "ul", "ol", "aside"].contains(&tag.as_str()) && i.get() < w.len()
            {
                el.set_inner_content(&w[i.get()], ContentType::Html);
                i.set(i.get() + 1);
            }
            Ok(())
        }));
    }
    if let Some((iso, vis)) = &e.date {
        let (iso2, vis) = (iso.clone(), esc(vis));
        s = s.append_element_content_handler(element!("time", move |el| {
            el.set_attribute("datetime", &iso2)?;
            el.set_inner_content(&vis, ContentType::Html);
            Ok(())
        }));
        let iso3 = iso.clone();
        s = s.append_element_content_handler(element!(
            "meta[property=\"article:published_time\"], meta[itemprop=\"datePublished\"]",
            move |el| {
                el.set_attribute("content", &iso3)?;
                Ok(())
            }
        ));
    }
    if let Some(b) = &e.breadcrumb_html {
        let (done, b) = (&crumb_done, b.clone());
        s = s.append_element_content_handler(element!("[class*=\"breadcrumb\"]", move |el| {
            if !done.replace(true) {
                el.set_inner_content(&b, ContentType::Html);
            }
            Ok(())
        }));
    }
    if e.drop_jsonld {
        s = s.append_element_content_handler(element!(
            "script[type=\"application/ld+json\"]",
            |el| {
                el.remove();
                Ok(())
            }
        ));
    }
    rewrite_str(html, s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_main_content_and_keeps_chrome() {
        let html = "<html><head><title>Old</title></head><body><nav>Menu</nav><article><h1>Old</h1><p>old text</p></article><footer>Foot</footer></body></html>";
        let c = find_container(html);
        assert_eq!(c, Some("article"));
        let out = apply(
            html,
            "article",
            &Edit {
                title_full: Some("New - Site".into()),
                title: Some("New".into()),
                body_html: Some("<p>stolen</p>".into()),
                after_html: "<div>links</div>".into(),
                ..Edit::default()
            },
        )
        .unwrap();
        assert!(out.contains("<title>New - Site</title>"));
        assert!(out.contains("<p>stolen</p>") && !out.contains("old text"));
        assert!(out.contains("<nav>Menu</nav>") && out.contains("<footer>Foot</footer>"));
        assert!(out.contains("</article><div>links</div>"));
    }
}
