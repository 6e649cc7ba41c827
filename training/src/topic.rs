//! Coarse topics and a tf-idf similarity, used to pick on-topic related links for ham and
//! off-topic ones (and wrong categories) for spam.

use std::collections::HashMap;

/// Politics.
pub const POLITICS: usize = 0;
/// World news.
pub const WORLD: usize = 1;
/// Society / U.S. news.
pub const SOCIETY: usize = 2;
/// Business, money.
pub const BUSINESS: usize = 3;
/// Tech and science.
pub const TECH: usize = 4;
/// Sports.
pub const SPORTS: usize = 5;
/// Entertainment, culture.
pub const ENTERTAINMENT: usize = 6;
/// Lifestyle: food, home, style, travel, parenting.
pub const LIFESTYLE: usize = 7;
/// Health, wellness.
pub const HEALTH: usize = 8;
/// Crime.
pub const CRIME: usize = 9;
/// Weird news.
pub const WEIRD: usize = 10;
/// Environment.
pub const ENVIRONMENT: usize = 11;
/// Viral / clickbait.
pub const VIRAL: usize = 12;
/// Number of topics.
pub const N_TOPICS: usize = 13;

/// Section names a site might show for a topic, by language (breadcrumbs, "More from X").
pub fn section_names(topic: usize, lang: &str) -> &'static [&'static str] {
    match (lang, topic) {
        ("de", POLITICS) => &["Politik", "Inland"],
        ("de", WORLD) => &["Ausland", "Welt"],
        ("de", SOCIETY) => &["Gesellschaft", "Panorama"],
        ("de", BUSINESS) => &["Wirtschaft", "Börse", "Finanzen"],
        ("de", TECH) => &["Digital", "Wissen", "Technik"],
        ("de", SPORTS) => &["Sport", "Fußball"],
        ("de", ENTERTAINMENT) => &["Kultur", "Unterhaltung", "Stars"],
        ("de", LIFESTYLE) => &["Leben", "Reise", "Essen & Trinken"],
        ("de", HEALTH) => &["Gesundheit"],
        ("de", CRIME) => &["Blaulicht", "Justiz"],
        ("de", WEIRD) => &["Kurioses", "Vermischtes"],
        ("de", ENVIRONMENT) => &["Umwelt", "Klima"],
        ("de", _) => &["Video", "Viral"],
        ("fr", POLITICS) => &["Politique"],
        ("fr", WORLD) => &["International", "Monde"],
        ("fr", SOCIETY) => &["Société"],
        ("fr", BUSINESS) => &["Économie", "Bourse"],
        ("fr", TECH) => &["Tech", "Sciences"],
        ("fr", SPORTS) => &["Sport", "Football"],
        ("fr", ENTERTAINMENT) => &["Culture", "People"],
        ("fr", LIFESTYLE) => &["Art de vivre", "Voyage"],
        ("fr", HEALTH) => &["Santé"],
        ("fr", CRIME) => &["Faits divers"],
        ("fr", _) => &["Insolite", "Planète"],
        ("es", POLITICS) => &["Política"],
        ("es", WORLD) => &["Internacional", "Mundo"],
        ("es", BUSINESS) => &["Economía", "Bolsa"],
        ("es", SPORTS) => &["Deportes", "Fútbol"],
        ("es", ENTERTAINMENT) => &["Cultura", "Gente"],
        ("es", TECH) => &["Tecnología", "Ciencia"],
        ("es", _) => &["Sociedad", "Estilo", "Salud", "Sucesos"],
        ("zh", POLITICS) => &["时政", "政治"],
        ("zh", WORLD) => &["国际", "环球"],
        ("zh", BUSINESS) => &["财经", "股票", "理财"],
        ("zh", TECH) => &["科技", "数码"],
        ("zh", SPORTS) => &["体育", "足球"],
        ("zh", ENTERTAINMENT) => &["娱乐", "明星"],
        ("zh", LIFESTYLE) => &["生活", "旅游", "美食"],
        ("zh", HEALTH) => &["健康"],
        ("zh", _) => &["社会", "资讯", "汽车"],
        ("ja", BUSINESS) => &["経済", "マネー"],
        ("ja", SPORTS) => &["スポーツ"],
        ("ja", ENTERTAINMENT) => &["エンタメ", "芸能"],
        ("ja", TECH) => &["IT・科学"],
        ("ja", _) => &["国内", "国際", "ライフ"],
        (_, POLITICS) => &["Politics", "Elections", "Government"],
        (_, WORLD) => &["World", "International", "Asia", "Europe"],
        (_, SOCIETY) => &["U.S.", "Nation", "Local", "Community"],
        (_, BUSINESS) => &[
            "Business", "Stocks", "Markets", "Money", "Finance", "Economy",
        ],
        (_, TECH) => &["Tech", "Science", "Gadgets", "Innovation"],
        (_, SPORTS) => &["Sports", "NFL", "Soccer", "Basketball", "Golf"],
        (_, ENTERTAINMENT) => &["Entertainment", "Celebrity", "Movies", "TV", "Music"],
        (_, LIFESTYLE) => &[
            "Lifestyle",
            "Food",
            "Travel",
            "Home & Garden",
            "Style",
            "Auto",
        ],
        (_, HEALTH) => &["Health", "Wellness", "Fitness"],
        (_, CRIME) => &["Crime", "Courts", "Public Safety"],
        (_, WEIRD) => &["Odd News", "Offbeat"],
        (_, ENVIRONMENT) => &["Environment", "Climate", "Weather"],
        _ => &["Viral", "Buzz", "Trending", "Quizzes"],
    }
}

const STOPWORDS: &[&str] = &[
    "the", "and", "for", "that", "with", "this", "from", "are", "was", "were", "has", "have",
    "had", "but", "not", "you", "your", "his", "her", "its", "our", "their", "they", "them", "she",
    "him", "who", "what", "when", "where", "which", "will", "would", "can", "could", "should",
    "about", "after", "into", "over", "more", "most", "than", "then", "there", "here", "just",
    "also", "out", "all", "one", "two", "new", "how", "why", "said", "says", "been", "being",
    "other", "some", "such", "only", "any", "each", "many", "much", "very", "may", "might",
    "these", "those", "get", "like", "make", "made", "year", "years", "time", "people", "way",
    "day", "first", "last", "der", "die", "und", "das", "ist", "nicht", "mit", "den", "ein",
    "eine", "sich", "auf", "für", "les", "des", "une", "pour", "dans", "que", "est", "los", "las",
    "por", "una", "con", "para",
];

/// Lower-cased word tokens of at least 3 letters, stop words dropped.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
}

/// A sparse, L2-normalised tf-idf vector, sorted by term id.
pub type Vector = Vec<(u32, f32)>;

/// Vocabulary with document frequencies.
#[derive(Default)]
pub struct Tfidf {
    ids: HashMap<String, u32>,
    df: Vec<u32>,
    docs: u32,
}

impl Tfidf {
    /// Counts a document for the document frequencies.
    pub fn add_doc(&mut self, text: &str) {
        let mut seen: Vec<u32> = tokens(text)
            .map(|t| {
                let n = self.ids.len() as u32;
                let id = *self.ids.entry(t).or_insert(n);
                if id as usize == self.df.len() {
                    self.df.push(0);
                }
                id
            })
            .collect();
        seen.sort_unstable();
        seen.dedup();
        for id in seen {
            self.df[id as usize] += 1;
        }
        self.docs += 1;
    }

    /// The tf-idf vector of a text (unknown words ignored).
    pub fn vector(&self, text: &str) -> Vector {
        let mut counts: Vec<(u32, f32)> = Vec::new();
        let mut ids: Vec<u32> = tokens(text)
            .filter_map(|t| self.ids.get(&t).copied())
            .collect();
        ids.sort_unstable();
        for id in ids {
            match counts.last_mut() {
                Some((last, c)) if *last == id => *c += 1.0,
                _ => counts.push((id, 1.0)),
            }
        }
        let n = self.docs.max(1) as f32;
        for (id, c) in counts.iter_mut() {
            let df = self.df[*id as usize].max(1) as f32;
            *c = (1.0 + c.ln()) * ((n + 1.0) / (df + 1.0)).ln();
        }
        normalise(&mut counts);
        counts
    }
}

/// Scales to unit length.
pub fn normalise(v: &mut Vector) {
    let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, x) in v.iter_mut() {
            *x /= norm;
        }
    }
}

/// Dot product of two sorted sparse vectors.
pub fn dot(a: &Vector, b: &Vector) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// Sum of vectors, normalised (a topic centroid).
pub fn centroid<'a>(vs: impl Iterator<Item = &'a Vector>) -> Vector {
    let mut acc: std::collections::BTreeMap<u32, f32> = std::collections::BTreeMap::new();
    for v in vs {
        for (id, x) in v {
            *acc.entry(*id).or_insert(0.0) += x;
        }
    }
    let mut v: Vector = acc.into_iter().collect();
    normalise(&mut v);
    v
}
