//! Page parts shared by both classes (headings, counters, date lines, link markup) and the spam
//! ingredients made from templates (ad snippets, junk title suffixes, wire datelines, spinning).
//! Phrases here are generic patterns of the web, none is taken from the example page.

use pagescore::signals::text::adcopy;
use rand::seq::SliceRandom;
use rand::Rng;

/// A link in a block.
#[derive(Clone, Debug)]
pub struct Item {
    /// Anchor text.
    pub text: String,
    /// A snippet under the headline (feeds).
    pub desc: Option<String>,
    /// Link target.
    pub href: String,
    /// `rel="sponsored"` / ad-network link.
    pub sponsored: bool,
    /// A per-item counter ("12.3K views").
    pub counter: Option<String>,
}

/// What a block is for; picks class names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// "Related", "Read more".
    Related,
    /// "Trending", "Most read".
    Popular,
    /// Sponsored / promoted widget.
    Sponsored,
    /// A plain list of many links.
    Farm,
}

/// A block of links with a heading.
#[derive(Clone, Debug)]
pub struct Block {
    /// Heading text.
    pub heading: String,
    /// Links.
    pub items: Vec<Item>,
    /// What the block is for.
    pub kind: BlockKind,
}

/// Headings that claim the links are related to the article, by language.
pub fn related_heading<R: Rng>(rng: &mut R, lang: &str, section: &str) -> String {
    let en = [
        "Related",
        "Related Articles",
        "Related Stories",
        "Related News",
        "You May Also Like",
        "Read More",
        "More Stories",
        "See Also",
        "Recommended",
        "Recommended for You",
        "Recommendation",
        "Read Next",
        "You might be interested in",
        "Also read",
    ];
    let pick = |rng: &mut R, v: &[&str]| v.choose(rng).copied().unwrap_or("Related").to_string();
    let r: f64 = rng.gen();
    if r < 0.15 && !section.is_empty() {
        return match lang {
            "de" => format!("Mehr aus {section}"),
            "fr" => format!("Plus de {section}"),
            "es" => format!("Más de {section}"),
            "zh" => format!("更多{section}"),
            _ => format!("More from {section}"),
        };
    }
    let lang = if r > 0.8 {
        // scraper templates often keep headings of another language
        ["en", "de", "fr", "es", "zh", "ja", "pt", "it", "ru"]
            .choose(rng)
            .copied()
            .unwrap_or("en")
    } else {
        lang
    };
    match lang {
        "de" => pick(
            rng,
            &[
                "Ähnliche Artikel",
                "Das könnte Sie auch interessieren",
                "Mehr zum Thema",
                "Weitere Artikel",
                "Auch interessant",
            ],
        ),
        "fr" => pick(
            rng,
            &[
                "Articles similaires",
                "À lire aussi",
                "Sur le même sujet",
                "Vous aimerez aussi",
            ],
        ),
        "es" => pick(
            rng,
            &[
                "Artículos relacionados",
                "También te puede interesar",
                "Noticias relacionadas",
                "Lee también",
            ],
        ),
        "zh" => pick(
            rng,
            &["相关文章", "相关新闻", "推荐阅读", "猜你喜欢", "延伸阅读"],
        ),
        "ja" => pick(rng, &["関連記事", "おすすめ記事", "あわせて読みたい"]),
        "pt" => pick(
            rng,
            &["Notícias relacionadas", "Leia também", "Veja também"],
        ),
        "it" => pick(
            rng,
            &["Articoli correlati", "Potrebbe interessarti", "Leggi anche"],
        ),
        "ru" => pick(rng, &["Похожие статьи", "Читайте также", "Рекомендуем"]),
        _ => pick(rng, &en),
    }
}

/// Headings of popularity widgets, by language.
pub fn popular_heading<R: Rng>(rng: &mut R, lang: &str) -> String {
    let lang = if rng.gen_bool(0.2) {
        ["en", "de", "fr", "es", "zh", "ja"]
            .choose(rng)
            .copied()
            .unwrap_or("en")
    } else {
        lang
    };
    let v: &[&str] = match lang {
        "de" => &[
            "Meistgelesen",
            "Beliebt",
            "Top-Themen",
            "Neueste Artikel",
            "Am meisten kommentiert",
        ],
        "fr" => &["Les plus lus", "Tendances", "À la une", "Populaires"],
        "es" => &["Lo más leído", "Tendencias", "Lo más visto", "Populares"],
        "zh" => &["热门", "排行", "热点新闻", "排行榜", "点击排行", "最新文章"],
        "ja" => &["ランキング", "人気記事", "アクセスランキング"],
        _ => &[
            "Trending",
            "Trending Now",
            "Ranking",
            "Popular",
            "Most Popular",
            "Most Read",
            "Top Stories",
            "Hot News",
            "Editor's Picks",
            "Don't Miss",
            "Latest News",
            "What's Hot",
            "Popular Posts",
            "Recent Posts",
        ],
    };
    v.choose(rng).copied().unwrap_or("Popular").to_string()
}

/// Headings of sponsored widgets.
pub fn sponsored_heading<R: Rng>(rng: &mut R, lang: &str) -> String {
    let v: &[&str] = match lang {
        "de" => &[
            "Anzeige",
            "Gesponsert",
            "Das könnte Sie auch interessieren (Anzeige)",
            "Partner-Angebote",
        ],
        "fr" => &["Contenu sponsorisé", "Publicité", "Sponsorisé"],
        "es" => &["Patrocinado", "Publicidad", "Contenido patrocinado"],
        "zh" => &["广告", "推广", "赞助内容"],
        _ => &[
            "Sponsored",
            "Promoted Stories",
            "From Around the Web",
            "Sponsored Content",
            "Advertisement",
            "Partner Content",
            "Around the Web",
            "Promoted Links",
            "Deals",
            "Today's Offers",
            "Hot Deals",
        ],
    };
    v.choose(rng).copied().unwrap_or("Sponsored").to_string()
}

/// An internal link target.
pub fn internal_href<R: Rng>(rng: &mut R, text: &str, section: &str) -> String {
    let s = crate::util::slug(text);
    let sec = crate::util::slug(section);
    match rng.gen_range(0..6) {
        0 => format!(
            "/{}/{:02}/{s}.html",
            rng.gen_range(2012..2026),
            rng.gen_range(1..13)
        ),
        1 => format!("/news/{}.html", rng.gen_range(10_000..9_999_999)),
        2 => format!("/{sec}/{s}/"),
        3 => format!("/?p={}", rng.gen_range(100..99_999)),
        4 => format!("/article/{}-{s}", rng.gen_range(1000..999_999)),
        _ => format!("/{s}"),
    }
}

/// An ad-network style click URL.
pub fn ad_href<R: Rng>(rng: &mut R) -> String {
    let host = [
        "clk.adserve-net.com",
        "go.offerpath.net",
        "track.promo-link.io",
        "r.dealzone.click",
        "ads.partnerfeed.net",
        "lnk.shopnow-offers.com",
        "out.newsrevenue.co",
        "a.adnxs-cdn.net",
        "tr.sponsorhub.com",
        "go.bestbuyz.shop",
    ]
    .choose(rng)
    .copied()
    .unwrap_or("ads.example.net");
    format!(
        "https://{host}/c?id={}&src=w{}&utm_source=widget&utm_medium=cpc",
        rng.gen_range(10_000..99_999_999),
        rng.gen_range(10..9999)
    )
}

fn num<R: Rng>(rng: &mut R, lo: u32, hi: u32) -> String {
    let n = rng.gen_range(lo..hi);
    match rng.gen_range(0..4) {
        0 if n >= 1000 => {
            let s = n.to_string();
            let mut out = String::new();
            for (i, c) in s.chars().enumerate() {
                if i > 0 && (s.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(c);
            }
            out
        }
        1 if n >= 1000 => format!("{:.1}K", f64::from(n) / 1000.0),
        _ => n.to_string(),
    }
}

/// A fake engagement counter as scraper templates show them: big numbers, often praise labels.
pub fn spam_counter<R: Rng>(rng: &mut R, lang: &str) -> String {
    let praise: &[&str] = match lang {
        "zh" => &["赞", "好评", "点赞", "精彩", "支持"],
        "de" => &["Super", "Toll", "Gefällt mir", "Daumen hoch"],
        "es" => &["Genial", "Me gusta", "Excelente"],
        "fr" => &["Génial", "J'aime", "Top"],
        _ => &[
            "Great!",
            "Awesome",
            "Nice",
            "Like",
            "Wow!",
            "Good job",
            "Thumbs up",
            "Love it",
            "Excellent!",
            "Amazing",
            "Cool",
            "Helpful",
            "Well done!",
        ],
    };
    let label = *praise.choose(rng).unwrap_or(&"Like");
    let n = num(rng, 1_000, 99_999);
    match rng.gen_range(0..8) {
        0 => format!("{label} ({n})"),
        1 => format!("{label}({n})"),
        2 => format!("{label} {n}"),
        3 => format!("👍 {n}"),
        4 => format!("Views: {n}"),
        5 => format!("{n} views"),
        6 => format!(
            "{label} ({n})   {} ({})",
            praise.choose(rng).unwrap_or(&"Like"),
            num(rng, 100, 9_999)
        ),
        _ => format!("♥ {n}"),
    }
}

/// An innocent counter as real sites show them: comments and shares, mostly small.
pub fn ham_counter<R: Rng>(rng: &mut R, lang: &str) -> String {
    let hi = if rng.gen_bool(0.8) { 300 } else { 40_000 };
    let n = num(rng, 0, hi);
    match (lang, rng.gen_range(0..7)) {
        ("de", _) => format!("{n} Kommentare"),
        ("fr", _) => format!("{n} commentaires"),
        ("es", _) => format!("{n} comentarios"),
        ("zh", _) => format!("评论 ({n})"),
        (_, 0) => format!("Comments ({n})"),
        (_, 1) => format!("{n} Comments"),
        (_, 2) => format!("{n} shares"),
        (_, 3) => format!("Share ({n})"),
        (_, 4) => format!("Views: {n}"),
        (_, 5) => format!("{n} Responses"),
        _ => format!("Likes ({n})"),
    }
}

/// A stray label left over from a template ("View", "Share").
pub fn stray_label<R: Rng>(rng: &mut R) -> String {
    [
        "View",
        "Share",
        "Print",
        "Listen",
        "A A A",
        "Font size",
        "Save",
        "Comment",
        "Email",
        "Tweet",
        "分享",
        "Teilen",
    ]
    .choose(rng)
    .copied()
    .unwrap_or("Share")
    .to_string()
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A visible date line in one of many formats.
pub fn date_line<R: Rng>(rng: &mut R, (y, m, d): (i32, u32, u32), lang: &str) -> String {
    let (hh, mm, ss) = (
        rng.gen_range(0..24),
        rng.gen_range(0..60),
        rng.gen_range(0..60),
    );
    let month = MONTHS[(m as usize).clamp(1, 12) - 1];
    let f = rng.gen_range(0..9);
    match (lang, f) {
        ("de", _) => format!("Veröffentlicht am {d:02}.{m:02}.{y}, {hh:02}:{mm:02} Uhr"),
        ("fr", _) => format!("Publié le {d:02}/{m:02}/{y} à {hh:02}h{mm:02}"),
        ("es", _) => format!("Publicado: {d:02}/{m:02}/{y} {hh:02}:{mm:02}"),
        ("zh", _) => format!("发布时间：{y}-{m:02}-{d:02} {hh:02}:{mm:02}"),
        (_, 0) => format!("Date:{y}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}"),
        (_, 1) => format!("Published: {month} {d}, {y}"),
        (_, 2) => format!("Posted on {d:02}/{m:02}/{y}"),
        (_, 3) => format!("Updated {y}-{m:02}-{d:02} {hh:02}:{mm:02}"),
        (_, 4) => format!(
            "{month} {d}, {y} at {}:{mm:02} {}",
            (hh % 12) + 1,
            if hh < 12 { "am" } else { "pm" }
        ),
        (_, 5) => format!("Time: {y}/{m:02}/{d:02}"),
        (_, 6) => format!("{y}-{m:02}-{d:02}"),
        (_, 7) => format!("Release time: {y}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}"),
        _ => format!("Last updated: {d} {month} {y}"),
    }
}

/// ISO form of a date.
pub fn iso((y, m, d): (i32, u32, u32)) -> String {
    format!(
        "{y}-{m:02}-{d:02}T{:02}:{:02}:00Z",
        (y as u32 + m) % 24,
        (d * 7) % 60
    )
}

/// A junk suffix in another script, as scraper templates append to titles.
pub fn junk_suffix<R: Rng>(rng: &mut R, title_lang: &str) -> String {
    let sep = ["-", " - ", " – ", "_", " | ", "—"]
        .choose(rng)
        .copied()
        .unwrap_or("-");
    let latin_title = !["zh", "ja", "ko", "ru", "ar", "th"].contains(&title_lang);
    let word = if latin_title {
        [
            "消息",
            "新闻网",
            "资讯",
            "快讯",
            "热点",
            "头条",
            "ニュース速報",
            "最新ニュース",
            "뉴스",
            "속보",
            "Новости",
            "Новости дня",
            "أخبار",
            "ข่าวสด",
            "新浪",
            "网易",
            "凤凰网",
            "財經",
        ]
        .choose(rng)
        .copied()
        .unwrap_or("消息")
    } else {
        ["News", "Daily News", "Breaking", "Online", "Latest"]
            .choose(rng)
            .copied()
            .unwrap_or("News")
    };
    format!("{sep}{word}")
}

/// A wire-service dateline prefix for the first paragraph.
pub fn wire_dateline<R: Rng>(rng: &mut R) -> String {
    let city = [
        "WASHINGTON",
        "NEW YORK",
        "LONDON",
        "PARIS",
        "BERLIN",
        "TOKYO",
        "BEIJING",
        "MOSCOW",
        "BRUSSELS",
        "GENEVA",
        "SEOUL",
        "SYDNEY",
        "TORONTO",
        "MEXICO CITY",
        "NEW DELHI",
        "CAIRO",
        "LOS ANGELES",
        "CHICAGO",
        "MADRID",
        "ROME",
        "ISTANBUL",
        "NAIROBI",
        "SAO PAULO",
    ]
    .choose(rng)
    .copied()
    .unwrap_or("LONDON");
    let month = MONTHS[rng.gen_range(0..12)];
    match rng.gen_range(0..8) {
        0 | 1 => format!("{city} (AP) — "),
        2 => format!("{city} (Reuters) - "),
        3 => format!("{city}, {month} {} (Reuters) - ", rng.gen_range(1..29)),
        4 => format!("{city} (AFP) – "),
        5 => "(Reuters) - ".to_string(),
        6 => format!("{city} (dpa) - "),
        _ => format!("{city} (Xinhua) -- "),
    }
}

/// An ad posing as a headline: from a deal template ([`adcopy::deal`], the held-out families
/// and products for the test split) or a reworded SMS promo.
pub fn ad_snippet<R: Rng>(rng: &mut R, test: bool, promos: &[&str]) -> String {
    if !promos.is_empty() && rng.gen_bool(0.35) {
        if let Some(p) = promos.choose(rng) {
            if let Some(s) = reword_promo(p) {
                return s;
            }
        }
    }
    // training pages draw on the training parts the features' promo classifier never saw
    adcopy::deal(
        rng,
        if test {
            adcopy::DealParts::HeldOut
        } else {
            adcopy::DealParts::TrainPages
        },
    )
}

/// Rewords an SMS promo into a web-ad headline (the promo classifier trains on the same
/// rewording: [`pagescore::signals::text::train::reword_promo`]).
pub fn reword_promo(sms: &str) -> Option<String> {
    pagescore::signals::text::train::reword_promo(&crate::util::decode_entities(sms))
}

const SPIN: &[(&str, &[&str])] = &[
    ("said", &["stated", "declared", "remarked"]),
    ("says", &["states", "declares", "remarks"]),
    ("big", &["large", "huge", "massive"]),
    ("large", &["big", "sizeable", "huge"]),
    ("small", &["little", "tiny", "minor"]),
    ("important", &["crucial", "vital", "significant"]),
    ("help", &["assist", "aid", "support"]),
    ("use", &["utilize", "employ", "make use of"]),
    ("show", &["display", "reveal", "demonstrate"]),
    ("shows", &["displays", "reveals", "demonstrates"]),
    ("make", &["create", "produce", "generate"]),
    ("new", &["brand-new", "novel", "fresh"]),
    ("good", &["great", "fine", "excellent"]),
    ("many", &["numerous", "plenty of", "a lot of"]),
    ("people", &["individuals", "folks", "persons"]),
    ("also", &["additionally", "likewise", "moreover"]),
    ("however", &["nevertheless", "nonetheless", "yet"]),
    ("because", &["since", "as", "due to the fact that"]),
    ("start", &["begin", "commence", "initiate"]),
    ("get", &["obtain", "acquire", "receive"]),
    ("buy", &["purchase", "acquire", "procure"]),
    ("fast", &["rapid", "quick", "speedy"]),
    ("country", &["nation", "state", "land"]),
    ("problem", &["issue", "difficulty", "trouble"]),
    ("children", &["kids", "youngsters", "youngsters"]),
    ("money", &["cash", "funds", "capital"]),
    ("week", &["7 days", "weekly period", "week"]),
    (
        "officials",
        &["authorities", "representatives", "administrators"],
    ),
    ("company", &["firm", "business", "enterprise"]),
    ("government", &["administration", "authorities", "regime"]),
    ("increase", &["boost", "rise", "surge"]),
    ("find", &["discover", "locate", "uncover"]),
    ("very", &["extremely", "really", "highly"]),
    ("think", &["believe", "consider", "reckon"]),
    ("world", &["globe", "planet", "earth"]),
    ("war", &["conflict", "battle", "combat"]),
    ("house", &["home", "residence", "dwelling"]),
    ("city", &["metropolis", "town", "municipality"]),
    ("work", &["job", "labor", "employment"]),
    ("easy", &["simple", "effortless", "straightforward"]),
    ("best", &["finest", "greatest", "top"]),
    ("recipe", &["formula", "method", "dish"]),
    ("delicious", &["tasty", "scrumptious", "yummy"]),
    ("before", &["prior to", "ahead of", "previously"]),
    ("after", &["following", "subsequent to", "once"]),
];

/// Light article spinning: a share of common words replaced by (often clumsy) synonyms.
pub fn spin<R: Rng>(rng: &mut R, text: &str, rate: f64) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, w) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        let lower = core.to_lowercase();
        match SPIN.iter().find(|(k, _)| *k == lower) {
            Some((_, syns)) if !core.is_empty() && rng.gen_bool(rate) => {
                let s = syns.choose(rng).copied().unwrap_or(core);
                let s = if core.chars().next().is_some_and(char::is_uppercase) {
                    let mut c = s.chars();
                    c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default()
                } else {
                    s.to_string()
                };
                out.push_str(&w.replacen(core, &s, 1));
            }
            _ => out.push_str(w),
        }
    }
    out
}

/// A made-up site name and domain for a hand-written template.
pub fn site_name<R: Rng>(rng: &mut R, lang: &str) -> (String, String) {
    let a = [
        "Daily", "Metro", "Global", "Morning", "Evening", "City", "Valley", "Coastal", "Capital",
        "National", "Bright", "Smart", "True", "Open", "Prime", "Urban", "Northern", "Pacific",
    ];
    let b = [
        "Herald",
        "Times",
        "Post",
        "Tribune",
        "Journal",
        "Wire",
        "Report",
        "Digest",
        "Insider",
        "Chronicle",
        "Gazette",
        "Today",
        "Review",
        "Observer",
        "Bulletin",
        "Hub",
        "Voice",
        "Ledger",
    ];
    let x = a.choose(rng).copied().unwrap_or("Daily");
    let y = b.choose(rng).copied().unwrap_or("Post");
    let tld = match lang {
        "de" => ["de", "com", "net"].choose(rng).copied().unwrap_or("de"),
        "fr" => ["fr", "com"].choose(rng).copied().unwrap_or("fr"),
        "zh" => ["cn", "com", "com.cn", "net"]
            .choose(rng)
            .copied()
            .unwrap_or("com"),
        _ => [
            "com", "com", "com", "net", "org", "co", "news", "info", "co.uk",
        ]
        .choose(rng)
        .copied()
        .unwrap_or("com"),
    };
    let name = format!("{x} {y}");
    let dom = format!(
        "{}{}{}.{tld}",
        x.to_lowercase(),
        if rng.gen_bool(0.3) { "-" } else { "" },
        y.to_lowercase()
    );
    (name, dom)
}
