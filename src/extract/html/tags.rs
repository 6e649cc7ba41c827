//! Element names and class/id words, classified once per element so the rest of extraction
//! works on small integers and bit flags.

/// The elements extraction cares about; everything else is `Other` (or `Void`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Tag {
    Html,
    Head,
    Body,
    Title,
    Meta,
    Link,
    Script,
    Style,
    Noscript,
    Template,
    Svg,
    Math,
    Iframe,
    Textarea,
    Select,
    Option,
    Button,
    Form,
    Input,
    A,
    Img,
    Br,
    Hr,
    P,
    Div,
    Span,
    Section,
    Article,
    Main,
    Nav,
    Header,
    Footer,
    Aside,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Table,
    Tbody,
    Thead,
    Tfoot,
    Tr,
    Td,
    Th,
    Pre,
    Blockquote,
    Figure,
    Figcaption,
    Time,
    Strong,
    B,
    Em,
    I,
    Label,
    Menu,
    Details,
    Summary,
    Dialog,
    Address,
    Center,
    Font,
    Legend,
    Caption,
    Fieldset,
    Hgroup,
    Small,
    Code,
    Sup,
    Sub,
    U,
    Abbr,
    Cite,
    Q,
    Mark,
    Object,
    Canvas,
    Picture,
    Video,
    Audio,
    /// A void element this table does not name (`area`, `source`, `wbr`, ...).
    Void,
    /// Any other element.
    Other,
}

impl Tag {
    /// Classifies a tag name (any case).
    pub fn of(name: &str) -> Tag {
        let mut buf = [0u8; 10];
        let b = name.as_bytes();
        if b.len() > buf.len() {
            return Tag::Other;
        }
        for (d, s) in buf.iter_mut().zip(b) {
            *d = s.to_ascii_lowercase();
        }
        match &buf[..b.len()] {
            b"html" => Tag::Html,
            b"head" => Tag::Head,
            b"body" => Tag::Body,
            b"title" => Tag::Title,
            b"meta" => Tag::Meta,
            b"link" => Tag::Link,
            b"script" => Tag::Script,
            b"style" => Tag::Style,
            b"noscript" => Tag::Noscript,
            b"template" => Tag::Template,
            b"svg" => Tag::Svg,
            b"math" => Tag::Math,
            b"iframe" => Tag::Iframe,
            b"textarea" => Tag::Textarea,
            b"select" => Tag::Select,
            b"option" => Tag::Option,
            b"button" => Tag::Button,
            b"form" => Tag::Form,
            b"input" => Tag::Input,
            b"a" => Tag::A,
            b"img" => Tag::Img,
            b"br" => Tag::Br,
            b"hr" => Tag::Hr,
            b"p" => Tag::P,
            b"div" => Tag::Div,
            b"span" => Tag::Span,
            b"section" => Tag::Section,
            b"article" => Tag::Article,
            b"main" => Tag::Main,
            b"nav" => Tag::Nav,
            b"header" => Tag::Header,
            b"footer" => Tag::Footer,
            b"aside" => Tag::Aside,
            b"h1" => Tag::H1,
            b"h2" => Tag::H2,
            b"h3" => Tag::H3,
            b"h4" => Tag::H4,
            b"h5" => Tag::H5,
            b"h6" => Tag::H6,
            b"ul" => Tag::Ul,
            b"ol" => Tag::Ol,
            b"li" => Tag::Li,
            b"dl" => Tag::Dl,
            b"dt" => Tag::Dt,
            b"dd" => Tag::Dd,
            b"table" => Tag::Table,
            b"tbody" => Tag::Tbody,
            b"thead" => Tag::Thead,
            b"tfoot" => Tag::Tfoot,
            b"tr" => Tag::Tr,
            b"td" => Tag::Td,
            b"th" => Tag::Th,
            b"pre" => Tag::Pre,
            b"blockquote" => Tag::Blockquote,
            b"figure" => Tag::Figure,
            b"figcaption" => Tag::Figcaption,
            b"time" => Tag::Time,
            b"strong" => Tag::Strong,
            b"b" => Tag::B,
            b"em" => Tag::Em,
            b"i" => Tag::I,
            b"label" => Tag::Label,
            b"menu" => Tag::Menu,
            b"details" => Tag::Details,
            b"summary" => Tag::Summary,
            b"dialog" => Tag::Dialog,
            b"address" => Tag::Address,
            b"center" => Tag::Center,
            b"font" => Tag::Font,
            b"legend" => Tag::Legend,
            b"caption" => Tag::Caption,
            b"fieldset" => Tag::Fieldset,
            b"hgroup" => Tag::Hgroup,
            b"small" => Tag::Small,
            b"code" => Tag::Code,
            b"sup" => Tag::Sup,
            b"sub" => Tag::Sub,
            b"u" => Tag::U,
            b"abbr" => Tag::Abbr,
            b"cite" => Tag::Cite,
            b"q" => Tag::Q,
            b"mark" => Tag::Mark,
            b"object" => Tag::Object,
            b"canvas" => Tag::Canvas,
            b"picture" => Tag::Picture,
            b"video" => Tag::Video,
            b"audio" => Tag::Audio,
            b"area" | b"base" | b"col" | b"embed" | b"param" | b"source" | b"track" | b"wbr"
            | b"keygen" => Tag::Void,
            _ => Tag::Other,
        }
    }

    /// Elements with no content and no end tag.
    pub fn is_void(self) -> bool {
        matches!(
            self,
            Tag::Meta | Tag::Link | Tag::Input | Tag::Img | Tag::Br | Tag::Hr | Tag::Void
        )
    }

    /// Elements whose start or end breaks the text into a new block (paragraph, line).
    pub fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::A
                | Tag::Span
                | Tag::Time
                | Tag::Strong
                | Tag::B
                | Tag::Em
                | Tag::I
                | Tag::Label
                | Tag::Font
                | Tag::Small
                | Tag::Code
                | Tag::Sup
                | Tag::Sub
                | Tag::U
                | Tag::Abbr
                | Tag::Cite
                | Tag::Q
                | Tag::Mark
                | Tag::Img
                | Tag::Picture
                | Tag::Void
                | Tag::Other
                | Tag::Input
                | Tag::Button
                | Tag::Script
                | Tag::Style
                | Tag::Noscript
                | Tag::Template
                | Tag::Title
                | Tag::Meta
                | Tag::Link
                | Tag::Iframe
                | Tag::Textarea
                | Tag::Select
                | Tag::Option
                | Tag::Svg
                | Tag::Math
        )
    }

    /// Headings.
    pub fn is_heading(self) -> bool {
        matches!(
            self,
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6
        )
    }

    /// Elements whose text is never shown as page text.
    pub fn hides_content(self) -> bool {
        matches!(
            self,
            Tag::Svg
                | Tag::Math
                | Tag::Template
                | Tag::Select
                | Tag::Object
                | Tag::Canvas
                | Tag::Video
                | Tag::Audio
        )
    }

    /// Whether a `p` is closed implicitly when this element starts.
    pub fn closes_p(self) -> bool {
        matches!(
            self,
            Tag::P
                | Tag::Div
                | Tag::Section
                | Tag::Article
                | Tag::Main
                | Tag::Nav
                | Tag::Header
                | Tag::Footer
                | Tag::Aside
                | Tag::H1
                | Tag::H2
                | Tag::H3
                | Tag::H4
                | Tag::H5
                | Tag::H6
                | Tag::Ul
                | Tag::Ol
                | Tag::Dl
                | Tag::Table
                | Tag::Pre
                | Tag::Blockquote
                | Tag::Figure
                | Tag::Form
                | Tag::Hr
                | Tag::Address
                | Tag::Fieldset
                | Tag::Details
                | Tag::Menu
                | Tag::Hgroup
                | Tag::Dialog
                | Tag::Center
        )
    }

    /// Tag weight of a content candidate (Readability's initial scores).
    pub fn candidate_weight(self) -> f32 {
        match self {
            Tag::Div | Tag::Article | Tag::Main | Tag::Section => 5.0,
            Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
            Tag::Address
            | Tag::Ol
            | Tag::Ul
            | Tag::Dl
            | Tag::Dd
            | Tag::Dt
            | Tag::Li
            | Tag::Form => -3.0,
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 | Tag::Th => -5.0,
            _ => 0.0,
        }
    }
}

/// What the words of an element's `class` and `id` say about it.
#[derive(Debug, Default, Clone, Copy)]
pub struct Hints {
    /// Readability-style weight: +25 for content words, -25 for boilerplate words.
    pub weight: i8,
    /// Boilerplate strong enough to drop the element from the main text.
    pub boilerplate: bool,
    /// Hidden (`hidden`, `sr-only`, `visually-hidden`).
    pub hidden: bool,
    /// A breadcrumb trail.
    pub breadcrumb: bool,
    /// An author line.
    pub byline: bool,
    /// A title/heading-like label ("title", "heading", "headline", "label").
    pub titleish: bool,
}

impl Hints {
    /// The hints of two attribute values together (`class` and `id`).
    pub fn merge(self, o: Hints) -> Hints {
        let boilerplate = self.boilerplate || o.boilerplate;
        let positive = |h: &Hints| h.weight + if h.boilerplate { 25 } else { 0 } > 0;
        let positive = positive(&self) || positive(&o);
        Hints {
            weight: if boilerplate { -25 } else { 0 } + if positive { 25 } else { 0 },
            boilerplate,
            hidden: self.hidden || o.hidden,
            breadcrumb: self.breadcrumb || o.breadcrumb,
            byline: self.byline || o.byline,
            titleish: self.titleish || o.titleish,
        }
    }
}

/// Classifies the words of `class`/`id` values (split at non-alphanumerics, lower-cased).
pub fn hints(values: &[&str]) -> Hints {
    let mut h = Hints::default();
    let mut pos = false;
    let mut neg = false;
    let mut buf = [0u8; 48];
    for v in values {
        for token in v.split_ascii_whitespace() {
            if token.len() > buf.len() {
                continue;
            }
            let t = &mut buf[..token.len()];
            t.copy_from_slice(token.as_bytes());
            t.make_ascii_lowercase();
            let t = &buf[..token.len()];
            // Whole class tokens that hide an element on every screen; `hidden-xs` and the
            // like hide it only on some, so they do not count.
            if matches!(
                t,
                b"hidden"
                    | b"hide"
                    | b"invisible"
                    | b"d-none"
                    | b"is-hidden"
                    | b"sr-only"
                    | b"visually-hidden"
                    | b"visuallyhidden"
                    | b"screen-reader-text"
                    | b"u-hidden"
            ) {
                h.hidden = true;
            }
            for w in t.split(|c| !c.is_ascii_alphanumeric()) {
                if w.len() < 2 || w.len() > 12 {
                    continue;
                }
                match w {
                    b"article" | b"articlebody" | b"content" | b"entry" | b"hentry" | b"main"
                    | b"post" | b"story" | b"text" | b"body" | b"blog" | b"prose" | b"richtext"
                    | b"page" | b"single" => pos = true,
                    b"breadcrumb" | b"breadcrumbs" | b"crumbs" => {
                        neg = true;
                        h.breadcrumb = true;
                    }
                    b"nav" | b"navbar" | b"navigation" | b"menu" | b"footer" | b"sidebar"
                    | b"comment" | b"comments" | b"cookie" | b"cookies" | b"consent" | b"gdpr"
                    | b"share" | b"sharing" | b"social" | b"related" | b"recommended"
                    | b"newsletter" | b"subscribe" | b"subscription" | b"popup" | b"modal"
                    | b"promo" | b"advert" | b"ads" | b"ad" | b"sponsored" | b"widget"
                    | b"pagination" | b"pager" | b"masthead" | b"header" | b"banner" | b"skip"
                    | b"toolbar" | b"outbrain" | b"taboola" | b"disqus" | b"tags" | b"tagcloud"
                    | b"signup" | b"login" | b"topbar" | b"dropdown" | b"offcanvas" | b"teaser"
                    | b"teasers" => neg = true,
                    b"byline" | b"author" | b"authors" | b"writer" => h.byline = true,
                    b"title" | b"heading" | b"headline" | b"label" | b"hdr" => h.titleish = true,
                    _ => {}
                }
            }
        }
    }
    if neg {
        h.weight -= 25;
        h.boilerplate = true;
    }
    if pos {
        h.weight += 25;
    }
    h
}
