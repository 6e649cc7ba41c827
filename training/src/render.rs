//! Rendering a page's content as plain text (as a copied page reads) or into one of the
//! hand-written HTML template families. Ham and spam go through the same renderers; only the
//! content differs.

use crate::parts::{Block, BlockKind, Item};
use crate::util::esc;
use rand::seq::SliceRandom;
use rand::Rng;

/// What a page shows, independent of markup.
#[derive(Clone, Debug, Default)]
pub struct Content {
    /// Headline.
    pub title: String,
    /// What follows the headline in `<title>` (site name, or junk).
    pub title_suffix: Option<String>,
    /// Breadcrumb trail.
    pub breadcrumb: Vec<String>,
    /// A stray template label under the title.
    pub stray: Option<String>,
    /// Visible date line.
    pub date_line: Option<String>,
    /// Machine-readable date for `<time>`/meta.
    pub date_iso: Option<String>,
    /// Author line.
    pub byline: Option<String>,
    /// Body paragraphs.
    pub paras: Vec<String>,
    /// Wire dateline prefixed to the first paragraph.
    pub dateline: Option<String>,
    /// Counter lines.
    pub counters: Vec<String>,
    /// Link blocks after the body.
    pub blocks: Vec<Block>,
    /// Link blocks in a sidebar.
    pub side_blocks: Vec<Block>,
    /// A feed of headlines with snippets as the main content.
    pub feed: Vec<Item>,
    /// Language.
    pub lang: String,
    /// Site name (footer, title suffix).
    pub site: String,
    /// Site sections (navigation).
    pub sections: Vec<String>,
}

const CLS_RELATED: &[&str] = &[
    "related",
    "related-posts",
    "rel-news",
    "yarpp-related",
    "jp-relatedposts",
    "post-related",
    "more-news",
    "news-list",
    "read-more",
];
const CLS_POPULAR: &[&str] = &[
    "trending",
    "popular-posts",
    "hot-news",
    "rank-list",
    "most-read",
    "top-stories",
    "widget_top_posts",
    "latest-posts",
];
const CLS_SPONSORED: &[&str] = &[
    "sponsored",
    "ad-widget",
    "promo-box",
    "partner-content",
    "ob-widget",
    "tbl-feed",
    "native-ads",
    "adsbox",
];
const CLS_FARM: &[&str] = &[
    "tags",
    "links",
    "friend-links",
    "link-list",
    "tag-cloud",
    "site-links",
];

fn class_for<R: Rng>(rng: &mut R, kind: BlockKind) -> &'static str {
    let v = match kind {
        BlockKind::Related => CLS_RELATED,
        BlockKind::Popular => CLS_POPULAR,
        BlockKind::Sponsored => CLS_SPONSORED,
        BlockKind::Farm => CLS_FARM,
    };
    v.choose(rng).copied().unwrap_or("links")
}

fn link(item: &Item, inner: &str) -> String {
    let rel = if item.sponsored {
        " rel=\"sponsored nofollow\" target=\"_blank\""
    } else {
        ""
    };
    format!("<a href=\"{}\"{rel}>{inner}</a>", esc(&item.href))
}

/// A link block as HTML, in one of several widget markups.
pub fn block_html<R: Rng>(rng: &mut R, b: &Block) -> String {
    let cls = class_for(rng, b.kind);
    let h = esc(&b.heading);
    let mut s = String::new();
    let style = rng.gen_range(0..5);
    let counter = |it: &Item| {
        it.counter
            .as_ref()
            .map(|c| format!(" <span class=\"count\">{}</span>", esc(c)))
            .unwrap_or_default()
    };
    match style {
        0 => {
            s += &format!("<div class=\"{cls}\"><h3>{h}</h3><ul>");
            for it in &b.items {
                s += &format!("<li>{}{}</li>", link(it, &esc(&it.text)), counter(it));
            }
            s += "</ul></div>";
        }
        1 => {
            s += &format!("<section class=\"{cls}\"><h2 class=\"section-title\">{h}</h2><div class=\"items\">");
            for it in &b.items {
                let desc = it
                    .desc
                    .as_ref()
                    .map(|d| format!("<p>{}</p>", esc(d)))
                    .unwrap_or_default();
                s += &format!(
                    "<article class=\"item\">{}{desc}{}</article>",
                    link(it, &format!("<h4>{}</h4>", esc(&it.text))),
                    counter(it)
                );
            }
            s += "</div></section>";
        }
        2 => {
            s += &format!("<aside class=\"widget {cls}\"><h4 class=\"widget-title\"><span>{h}</span></h4><ol>");
            for it in &b.items {
                s += &format!("<li>{}{}</li>", link(it, &esc(&it.text)), counter(it));
            }
            s += "</ol></aside>";
        }
        3 => {
            s +=
                &format!("<div class=\"{cls}\"><div class=\"title\">{h}</div><div class=\"list\">");
            for it in &b.items {
                s += &format!("<p>{}{}</p>", link(it, &esc(&it.text)), counter(it));
            }
            s += "</div></div>";
        }
        _ => {
            s += &format!(
                "<div class=\"{cls}\"><strong class=\"hd\">{h}</strong><div class=\"grid\">"
            );
            for it in &b.items {
                let img = format!(
                    "/uploads/{}/{}.jpg",
                    rng.gen_range(2015..2026),
                    rng.gen_range(1000..99999)
                );
                s += &format!(
                    "<div class=\"card\">{}{}</div>",
                    link(
                        it,
                        &format!(
                            "<img src=\"{img}\" alt=\"\" loading=\"lazy\"><span>{}</span>",
                            esc(&it.text)
                        )
                    ),
                    counter(it)
                );
            }
            s += "</div></div>";
        }
    }
    if b.kind == BlockKind::Sponsored && rng.gen_bool(0.5) {
        s = format!(
            "<div class=\"ad-container\" data-ad-slot=\"{}\">{s}</div>",
            rng.gen_range(1000..99999)
        );
    }
    s
}

/// The article body as HTML: breadcrumb, date line, paragraphs, counters, blocks.
pub fn body_html<R: Rng>(rng: &mut R, c: &Content, with_h1: bool) -> String {
    let mut s = String::new();
    if !c.breadcrumb.is_empty() {
        s += "<div class=\"breadcrumb\">";
        let n = c.breadcrumb.len();
        for (i, b) in c.breadcrumb.iter().enumerate() {
            if i + 1 < n {
                s += &format!("<a href=\"/{}\">{}</a> &gt; ", crate::util::slug(b), esc(b));
            } else {
                s += &format!("<span>{}</span>", esc(b));
            }
        }
        s += "</div>";
    }
    if with_h1 {
        s += &format!("<h1 class=\"entry-title\">{}</h1>", esc(&c.title));
    }
    if let Some(st) = &c.stray {
        s += &format!("<span class=\"label\">{}</span>", esc(st));
    }
    if c.date_line.is_some() || c.byline.is_some() {
        s += "<div class=\"meta\">";
        if let Some(b) = &c.byline {
            s += &format!("<span class=\"author\">{}</span> ", esc(b));
        }
        if let Some(d) = &c.date_line {
            match &c.date_iso {
                Some(iso) if rng.gen_bool(0.5) => {
                    s += &format!("<time datetime=\"{iso}\">{}</time>", esc(d))
                }
                _ => s += &format!("<span class=\"date\">{}</span>", esc(d)),
            }
        }
        s += "</div>";
    }
    s += "<div class=\"content\">";
    for (i, p) in c.paras.iter().enumerate() {
        let p = if i == 0 {
            format!("{}{p}", c.dateline.as_deref().unwrap_or(""))
        } else {
            p.clone()
        };
        s += &format!("<p>{}</p>", esc(&p));
    }
    for it in &c.feed {
        s += &format!("<div class=\"post\"><h2>{}</h2>", link(it, &esc(&it.text)));
        if let Some(d) = &it.desc {
            s += &format!("<p class=\"excerpt\">{}</p>", esc(d));
        }
        if let Some(cn) = &it.counter {
            s += &format!("<span class=\"count\">{}</span>", esc(cn));
        }
        s += "</div>";
    }
    s += "</div>";
    for cn in &c.counters {
        s += &format!("<div class=\"post-stats\"><span>{}</span></div>", esc(cn));
    }
    for b in &c.blocks {
        s += &block_html(rng, b);
    }
    s
}

/// The page as plain text, the way copying a page's text reads.
/// `style` (0..TEXT_STYLES) fixes the list bullets and breadcrumb form: it is the text
/// "template", and the held-out split uses styles 4 and 5.
pub fn text<R: Rng>(rng: &mut R, c: &Content, style: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let bullet = ["- ", "• ", "", "· ", "* ", "> "][style % TEXT_STYLES];
    let numbered = rng.gen_bool(0.15);
    if rng.gen_bool(0.25) && !c.sections.is_empty() {
        lines.push(c.sections.join(if rng.gen_bool(0.5) { " | " } else { " " }));
    }
    let full_title = format!("{}{}", c.title, c.title_suffix.as_deref().unwrap_or(""));
    if !c.breadcrumb.is_empty() {
        let prefix = if rng.gen_bool(0.5) {
            ""
        } else {
            [
                "Current:",
                "You are here: ",
                "Location: ",
                "Position: ",
                "当前位置：",
                "Sie sind hier: ",
            ][style % TEXT_STYLES]
        };
        let sep = [" > ", " / ", " » ", ">", " › ", " | "][(style + 1) % TEXT_STYLES];
        let crumb = format!("{prefix}{}", c.breadcrumb.join(sep));
        if rng.gen_bool(0.3) {
            // a template that glues the breadcrumb to the title line
            lines.push(format!("{crumb}{full_title}"));
        } else {
            lines.push(crumb);
            lines.push(full_title.clone());
        }
        if rng.gen_bool(0.5) {
            lines.push(c.title.clone());
        }
    } else {
        lines.push(full_title.clone());
        if c.title_suffix.is_some() && rng.gen_bool(0.5) {
            lines.push(c.title.clone());
        }
    }
    if let Some(st) = &c.stray {
        lines.push(st.clone());
    }
    if let Some(b) = &c.byline {
        lines.push(b.clone());
    }
    if let Some(d) = &c.date_line {
        lines.push(d.clone());
    }
    for (i, p) in c.paras.iter().enumerate() {
        if i == 0 {
            lines.push(format!("{}{p}", c.dateline.as_deref().unwrap_or("")));
        } else {
            lines.push(p.clone());
        }
    }
    for it in &c.feed {
        lines.push(it.text.clone());
        if let Some(d) = &it.desc {
            lines.push(d.clone());
        }
        if let Some(cn) = &it.counter {
            lines.push(cn.clone());
        }
    }
    lines.extend(c.counters.iter().cloned());
    for b in c.blocks.iter().chain(c.side_blocks.iter()) {
        lines.push(b.heading.clone());
        for (i, it) in b.items.iter().enumerate() {
            let prefix = if numbered {
                format!("{}. ", i + 1)
            } else {
                bullet.to_string()
            };
            lines.push(format!("{prefix}{}", it.text));
            if let Some(d) = &it.desc {
                lines.push(d.clone());
            }
        }
    }
    if rng.gen_bool(0.3) && !c.site.is_empty() {
        lines.push(format!(
            "© {} {}. All rights reserved.",
            rng.gen_range(2015..2027),
            c.site
        ));
    }
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

/// Number of text styles.
pub const TEXT_STYLES: usize = 6;

/// Hand-written template families. The held-out split uses `amp_like` and `portal_cn`.
pub const FAMILIES: &[&str] = &[
    "wp_magazine",
    "bootstrap_news",
    "table_classic",
    "next_app",
    "amp_like",
    "portal_cn",
];

/// Whether a family belongs to the held-out split.
pub fn family_is_test(f: &str) -> bool {
    f == "amp_like" || f == "portal_cn"
}

fn nav(c: &Content, cls: &str) -> String {
    let mut s = format!("<nav class=\"{cls}\"><ul>");
    s += "<li><a href=\"/\">Home</a></li>";
    for sec in &c.sections {
        s += &format!(
            "<li><a href=\"/{}/\">{}</a></li>",
            crate::util::slug(sec),
            esc(sec)
        );
    }
    s += "</ul></nav>";
    s
}

fn head<R: Rng>(rng: &mut R, c: &Content, charset: &str, url: &str, extra: &str) -> String {
    let title = format!("{}{}", c.title, c.title_suffix.as_deref().unwrap_or(""));
    let desc: String = c
        .paras
        .first()
        .or(c.feed.first().and_then(|i| i.desc.as_ref()))
        .map(|p| p.chars().take(155).collect())
        .unwrap_or_default();
    let mut s = format!(
        "<head>\n<meta charset=\"{charset}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<meta name=\"description\" content=\"{}\">\n",
        esc(&title),
        esc(&desc)
    );
    if rng.gen_bool(0.7) {
        s += &format!(
            "<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:title\" content=\"{}\">\n<meta property=\"og:site_name\" content=\"{}\">\n",
            esc(&c.title),
            esc(&c.site)
        );
        if !url.is_empty() {
            s += &format!(
                "<meta property=\"og:url\" content=\"{}\">\n<link rel=\"canonical\" href=\"{}\">\n",
                esc(url),
                esc(url)
            );
        }
    }
    if let Some(iso) = &c.date_iso {
        if rng.gen_bool(0.6) {
            s += &format!("<meta property=\"article:published_time\" content=\"{iso}\">\n");
        }
    }
    let v = rng.gen_range(1..9);
    s += &format!(
        "<link rel=\"stylesheet\" href=\"/static/css/main.{v}{}.css\">\n",
        rng.gen_range(100..999)
    );
    s += extra;
    if rng.gen_bool(0.6) {
        s += &format!("<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-{}\"></script>\n<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}gtag('js',new Date());gtag('config','G-{}');</script>\n", rng.gen_range(100000..999999), rng.gen_range(100000..999999));
    }
    if rng.gen_bool(0.4) {
        s += "<script async src=\"https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js\"></script>\n";
    }
    s += "</head>\n";
    s
}

fn footer<R: Rng>(rng: &mut R, c: &Content) -> String {
    let links = match c.lang.as_str() {
        "de" => vec!["Impressum", "Datenschutz", "Kontakt", "AGB"],
        "fr" => vec!["Mentions légales", "Confidentialité", "Contact"],
        "zh" => vec!["关于我们", "联系我们", "免责声明", "网站地图"],
        _ => vec![
            "About Us",
            "Contact",
            "Privacy Policy",
            "Terms of Use",
            "Advertise",
            "Sitemap",
        ],
    };
    let mut s = String::from("<footer class=\"site-footer\"><div class=\"footer-links\">");
    for l in links {
        s += &format!("<a href=\"/{}\">{l}</a> ", crate::util::slug(l));
    }
    s += &format!(
        "</div><p class=\"copyright\">© {} {}. All rights reserved.</p></footer>",
        rng.gen_range(2016..2027),
        esc(&c.site)
    );
    s
}

/// A full HTML page in a hand-written template family.
pub fn family_html<R: Rng>(
    rng: &mut R,
    family: &str,
    c: &Content,
    charset: &str,
    url: &str,
) -> String {
    let lang = if c.lang.is_empty() { "en" } else { &c.lang };
    let body = body_html(rng, c, true);
    let side: String = c.side_blocks.iter().map(|b| block_html(rng, b)).collect();
    match family {
        "wp_magazine" => format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n{}<body class=\"post-template-default single single-post\">\n<div id=\"page\" class=\"site\"><header id=\"masthead\" class=\"site-header\"><div class=\"site-branding\"><p class=\"site-title\"><a href=\"/\" rel=\"home\">{}</a></p></div>{}</header>\n<div id=\"content\" class=\"site-content\"><div id=\"primary\" class=\"content-area\"><main id=\"main\" class=\"site-main\"><article class=\"post type-post status-publish format-standard hentry\">{body}</article></main></div><aside id=\"secondary\" class=\"widget-area\">{side}<section class=\"widget widget_search\"><form role=\"search\" method=\"get\" action=\"/\"><input type=\"search\" name=\"s\"></form></section></aside></div>\n{}</div>\n<script src=\"/wp-includes/js/jquery/jquery.min.js?ver=3.7.1\"></script>\n<script src=\"/wp-content/themes/flavor/js/navigation.js?ver=1.0\"></script>\n</body>\n</html>\n",
            head(rng, c, charset, url, "<link rel=\"stylesheet\" id=\"wp-block-library-css\" href=\"/wp-includes/css/dist/block-library/style.min.css\" media=\"all\">\n<script>window._wpemojiSettings={\"baseUrl\":\"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/15.0.3\\/72x72\\/\"};</script>\n"),
            esc(&c.site),
            nav(c, "main-navigation"),
            footer(rng, c)
        ),
        "bootstrap_news" => format!(
            "<!doctype html>\n<html lang=\"{lang}\">\n{}<body>\n<nav class=\"navbar navbar-expand-lg navbar-dark bg-dark\"><div class=\"container\"><a class=\"navbar-brand\" href=\"/\">{}</a>{}</div></nav>\n<div class=\"container mt-4\"><div class=\"row\"><div class=\"col-md-8\">{body}</div><div class=\"col-md-4\">{side}</div></div></div>\n{}\n<script src=\"/assets/js/bootstrap.bundle.min.js\"></script>\n</body>\n</html>\n",
            head(rng, c, charset, url, "<link rel=\"stylesheet\" href=\"/assets/css/bootstrap.min.css\">\n"),
            esc(&c.site),
            nav(c, "collapse navbar-collapse"),
            footer(rng, c)
        ),
        "table_classic" => {
            let navtd: String = c.sections.iter().map(|s| format!("<a href=\"/{}.html\"><font color=\"#ffffff\">{}</font></a> | ", crate::util::slug(s), esc(s))).collect();
            format!(
                "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">\n<html>\n{}<body bgcolor=\"#ffffff\" topmargin=\"0\">\n<table width=\"960\" align=\"center\" cellpadding=\"0\" cellspacing=\"0\"><tr><td bgcolor=\"#003366\" height=\"60\"><font size=\"5\" color=\"#ffffff\"><b>{}</b></font></td></tr><tr><td bgcolor=\"#336699\">{navtd}</td></tr></table>\n<table width=\"960\" align=\"center\"><tr><td width=\"680\" valign=\"top\">{body}</td><td width=\"280\" valign=\"top\">{side}</td></tr></table>\n<table width=\"960\" align=\"center\"><tr><td align=\"center\"><font size=\"1\">{}</font></td></tr></table>\n</body>\n</html>\n",
                head(rng, c, charset, url, "<script type=\"text/javascript\" src=\"/js/common.js\"></script>\n"),
                esc(&c.site),
                footer(rng, c)
            )
        }
        "next_app" => {
            let data = format!("{{\"props\":{{\"pageProps\":{{\"slug\":\"{}\",\"section\":\"{}\"}}}},\"page\":\"/[section]/[slug]\",\"buildId\":\"b{}\"}}", crate::util::slug(&c.title), c.sections.first().map(|s| crate::util::slug(s)).unwrap_or_default(), rng.gen_range(1000..99999));
            format!(
                "<!DOCTYPE html><html lang=\"{lang}\">{}<body><div id=\"__next\"><div class=\"Layout_wrap__x1\"><header class=\"Header_root__a9\"><a class=\"Header_logo__k2\" href=\"/\">{}</a>{}</header><main class=\"Article_main__p3\"><article class=\"Article_body__q7\">{body}</article><div class=\"Rail_root__z8\">{side}</div></main>{}</div></div><script id=\"__NEXT_DATA__\" type=\"application/json\">{data}</script><script src=\"/_next/static/chunks/webpack-{}.js\" defer></script><script src=\"/_next/static/chunks/main-{}.js\" defer></script></body></html>",
                head(rng, c, charset, url, "<link rel=\"preload\" href=\"/_next/static/css/app.css\" as=\"style\">\n"),
                esc(&c.site),
                nav(c, "Nav_list__m4"),
                footer(rng, c),
                rng.gen_range(10000..99999),
                rng.gen_range(10000..99999)
            )
        }
        "amp_like" => format!(
            "<!doctype html>\n<html amp lang=\"{lang}\">\n{}<body>\n<header class=\"amp-header\"><a href=\"/\">{}</a></header>{}\n<main>{body}<amp-ad width=\"300\" height=\"250\" type=\"adsense\" data-ad-client=\"ca-pub-{}\"></amp-ad>{side}</main>\n{}\n</body>\n</html>\n",
            head(rng, c, charset, url, "<script async src=\"https://cdn.ampproject.org/v0.js\"></script>\n<style amp-custom>body{font-family:sans-serif;margin:0}main{max-width:720px;margin:auto}</style>\n"),
            esc(&c.site),
            nav(c, "amp-nav"),
            rng.gen_range(1_000_000_000u64..9_999_999_999),
            footer(rng, c)
        ),
        _ => format!(
            "<!DOCTYPE html>\n<html>\n{}<body>\n<div class=\"top-bar\"><div class=\"w1200\"><span class=\"date-today\"></span><a href=\"/\">{}</a></div></div>\n<div class=\"nav-box w1200\">{}</div>\n<div class=\"main w1200 clearfix\"><div class=\"left fl\">{body}</div><div class=\"right fr\">{side}</div></div>\n<div class=\"footer\">{}<p>ICP备{}号</p></div>\n<script src=\"/static/js/jquery-1.8.3.min.js\"></script><script>var _hmt=_hmt||[];</script>\n</body>\n</html>\n",
            head(rng, c, charset, url, ""),
            esc(&c.site),
            nav(c, "nav"),
            footer(rng, c),
            rng.gen_range(10_000_000..99_999_999)
        ),
    }
}
