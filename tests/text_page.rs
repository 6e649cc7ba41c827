//! Plain-text pages end to end (read + extract): title, breadcrumb and suffix, main text, link
//! blocks with every entry, date line, counter. Fixtures in `tests/fixtures/text/` are pages
//! written for these tests.

use pagescore::extract::{DateSource, Page};
use pagescore::read::{DocumentKind, RawPage};
use pagescore::Scorer;

const HARBOUR: &str = include_str!("fixtures/text/scraped-harbour.txt");
const FUSED_DE: &str = include_str!("fixtures/text/fused-de.txt");
const CLEAN: &str = include_str!("fixtures/text/clean-article.txt");

fn inspect(text: &str, name: &str) -> Page {
    let raw = RawPage {
        bytes: text.as_bytes(),
        url: None,
        content_type: None,
        name_hint: Some(name),
    };
    Scorer::embedded()
        .expect("the shipped model loads")
        .inspect(&raw)
        .expect("text page should extract")
}

fn block<'a>(page: &'a Page, heading: &str) -> Vec<&'a str> {
    let b = page
        .link_blocks
        .iter()
        .find(|b| b.heading.as_deref() == Some(heading))
        .unwrap_or_else(|| panic!("no block {heading:?} in {:#?}", page.link_blocks));
    assert_eq!(b.region, "body");
    assert!(b.links.iter().all(|l| l.href.is_none() && !l.external));
    b.links.iter().map(|l| l.text.as_str()).collect()
}

#[test]
fn scraper_page_title_breadcrumb_and_suffix() {
    let page = inspect(HARBOUR, "harbour.txt");
    assert_eq!(page.source.kind, DocumentKind::Text);
    assert_eq!(
        page.title.text,
        "City council approves a new ferry terminal for the eastern harbour"
    );
    assert_eq!(page.title.suffix.as_deref(), Some("新闻"));
    assert_eq!(page.title.raw, HARBOUR.lines().next().unwrap());
    assert_eq!(page.title.source, "first_line");
    assert_eq!(page.breadcrumb, ["Home", "Markets"]);
}

#[test]
fn scraper_page_main_text_is_the_article() {
    let page = inspect(HARBOUR, "harbour.txt");
    assert_eq!(page.main_text.len(), 6, "{:#?}", page.main_text);
    assert!(page.main_text[0].starts_with("HALIFAX (CP) — The city council"));
    assert!(page.main_text[5].starts_with("The council also approved"));
    // Nothing from the link blocks, the title or the junk lines leaks into the article.
    for p in &page.main_text {
        assert!(!p.contains("Lighthouse") && !p.contains("Likes") && p != "Share");
    }
    assert_eq!(page.datelines, ["HALIFAX (CP) —"]);
    assert_eq!(page.stats.visible_lines.len(), HARBOUR.lines().count());
    assert!(page.stats.visible_chars > 1500);
}

#[test]
fn scraper_page_link_blocks_with_every_entry() {
    let page = inspect(HARBOUR, "harbour.txt");
    let headings: Vec<_> = page
        .link_blocks
        .iter()
        .map(|b| b.heading.as_deref())
        .collect();
    assert_eq!(
        headings,
        [
            Some("More Stories"),
            Some("Most Read"),
            Some("Picked For You")
        ]
    );
    let more = block(&page, "More Stories");
    assert_eq!(more.len(), 6);
    assert_eq!(
        more[0],
        "Lighthouse keeper's logbooks from the 1890s found in an attic"
    );
    assert_eq!(
        more[5],
        "Bakery on Water Street celebrates its hundredth year"
    );
    let most = block(&page, "Most Read");
    assert_eq!(most.len(), 5);
    assert_eq!(most[4], "Ferry fares will rise by five percent next season");
    // Unbulleted, one of them ending like a sentence: still a block.
    let picked = block(&page, "Picked For You");
    assert_eq!(picked.len(), 5);
    assert_eq!(
        picked[2],
        "Win a weekend for two at a seaside spa. Enter today."
    );
    assert_eq!(
        picked[4],
        "Retired teacher turns her garage into a tiny museum"
    );
    assert_eq!(page.stats.links, 16);
}

#[test]
fn scraper_page_date_line_counter_and_dates() {
    let page = inspect(HARBOUR, "harbour.txt");
    let line = &page.dates[0];
    assert_eq!(line.source, DateSource::VisibleLine);
    assert_eq!(line.raw, "Posted:2024-11-03 18:20:41");
    assert_eq!(line.ymd, Some((2024, 11, 3)));
    assert_eq!(page.counters, ["Likes 1,284"]);
    let in_text: Vec<_> = page
        .dates
        .iter()
        .filter(|d| d.source == DateSource::InText)
        .collect();
    assert_eq!(in_text.len(), 1);
    assert_eq!(in_text[0].ymd, Some((2025, 4, 14)));
    let relative: Vec<_> = page
        .dates
        .iter()
        .filter(|d| d.source == DateSource::Relative)
        .map(|d| d.raw.as_str())
        .collect();
    assert_eq!(relative, ["Tuesday", "last month"]);
}

#[test]
fn line_endings_and_double_spacing_do_not_change_the_structure() {
    let base = inspect(HARBOUR, "harbour.txt");
    for variant in [HARBOUR.replace('\n', "\r\n"), HARBOUR.replace('\n', "\n\n")] {
        let page = inspect(&variant, "harbour.txt");
        assert_eq!(page.title.text, base.title.text);
        assert_eq!(page.main_text, base.main_text);
        let sizes: Vec<_> = page.link_blocks.iter().map(|b| b.links.len()).collect();
        assert_eq!(sizes, [6, 5, 5]);
    }
}

#[test]
fn fused_breadcrumb_without_repeat_line_german() {
    let page = inspect(FUSED_DE, "seite.txt");
    assert_eq!(
        page.title.text,
        "Neue Radwege entlang des Flusses sollen bis zum Sommer fertig sein"
    );
    assert_eq!(page.title.suffix.as_deref(), Some("Stadtbote"));
    assert_eq!(page.breadcrumb, ["Startseite", "Regionales"]);
    assert_eq!(page.bylines, ["Von Lena Brandt"]);
    assert_eq!(page.datelines, ["BREMEN (dpa) -"]);
    assert_eq!(page.dates[0].source, DateSource::VisibleLine);
    assert_eq!(page.dates[0].ymd, Some((2024, 3, 12)));
    assert_eq!(page.main_text.len(), 3);
    // A heading no word list knows, over unbulleted headlines.
    let items = block(&page, "Aus der Redaktion");
    assert_eq!(items.len(), 4);
    assert_eq!(items[3], "Bäckerei am Markt schließt nach vierzig Jahren");
    assert_eq!(page.counters, ["Gefällt mir (312)"]);
}

#[test]
fn clean_article_has_no_link_blocks() {
    let page = inspect(CLEAN, "wall.txt");
    assert_eq!(
        page.title.text,
        "Volunteers restore a century-old stone wall on the hill farm"
    );
    assert_eq!(page.title.suffix, None);
    assert!(page.breadcrumb.is_empty());
    assert_eq!(page.bylines, ["By Maren Holt"]);
    assert_eq!(page.dates[0].source, DateSource::VisibleLine);
    assert_eq!(page.dates[0].ymd, Some((2024, 3, 5)));
    assert!(
        page.link_blocks.is_empty(),
        "a subheading over short paragraphs is not a link block: {:#?}",
        page.link_blocks
    );
    assert_eq!(page.main_text.len(), 6, "{:#?}", page.main_text);
    assert!(page.main_text[3].starts_with("A retired mason"));
    assert!(page.counters.is_empty());
    assert!(page.datelines.is_empty());
}

#[test]
fn headless_bulleted_list_is_a_block_and_empty_text_is_empty() {
    let text = "Weekly notes\n\
        The garden club met again on the usual evening and agreed on the plan for the spring sale.\n\
        - Seed swap moves to the library hall\n\
        - New compost bins arrive next month\n\
        - Volunteers wanted for the plant stall\n";
    let page = inspect(text, "notes.txt");
    assert_eq!(page.link_blocks.len(), 1);
    assert_eq!(page.link_blocks[0].heading, None);
    assert_eq!(page.link_blocks[0].links.len(), 3);
    assert_eq!(page.main_text.len(), 1);

    let empty = inspect("\n  \n", "empty.txt");
    assert!(empty.title.text.is_empty());
    assert!(empty.main_text.is_empty() && empty.link_blocks.is_empty());
}

#[test]
fn one_huge_line_is_main_text_with_a_short_title() {
    let sentence = "The river rose again overnight and the town moved its sandbags higher. ";
    let text = sentence.repeat(2_000);
    let page = inspect(&text, "flood.txt");
    assert!(page.title.text.chars().count() <= 300);
    assert!(page.title.text.starts_with("The river rose again"));
    assert_eq!(page.main_text.len(), 1);
    assert!(page.link_blocks.is_empty());
}

#[test]
fn many_short_lines_stay_fast_and_bounded() {
    // 25k short lines that all look like headlines under one heading: one capped block, quick.
    let mut text = String::from("Title line of a list page\nArchive\n");
    for i in 0..25_000 {
        text.push_str(&format!("- Entry number {i} of the long archive list\n"));
    }
    let start = std::time::Instant::now();
    let page = inspect(&text, "archive.txt");
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    let total: usize = page.link_blocks.iter().map(|b| b.links.len()).sum();
    assert!(total <= 20_000, "links capped by ExtractLimits::max_links");
    assert!(page.stats.limit_hit);
}

#[test]
fn chinese_scraper_page_without_spaces() {
    let text = "首页 > 财经港口罢工九天后结束，货运恢复正常\n\
        港口罢工九天后结束，货运恢复正常\n\
        发布时间：2024-05-06 08:30\n\
        本报讯 港口工人与公司在周五达成协议，持续九天的罢工正式结束。工会表示，新合同将在未来三年内每年提高工资。\n\
        码头负责人说，积压的集装箱预计需要两周时间才能全部处理完毕。部分航运公司已经通知客户，交货时间可能会推迟。\n\
        阅读 3200\n\
        相关阅读\n\
        - 城市地铁新线路下月开通试运营\n\
        - 夏季用电高峰来临，电网加强检修\n\
        - 本地农产品出口额创历史新高\n\
        热门排行\n\
        - 高考报名人数再创新高\n\
        - 专家解读最新房贷利率调整\n";
    let page = inspect(text, "cn.txt");
    assert_eq!(page.title.text, "港口罢工九天后结束，货运恢复正常");
    assert_eq!(page.breadcrumb, ["首页", "财经"]);
    assert_eq!(page.dates[0].ymd, Some((2024, 5, 6)));
    assert_eq!(page.main_text.len(), 2);
    assert_eq!(page.counters, ["阅读 3200"]);
    let sizes: Vec<_> = page
        .link_blocks
        .iter()
        .map(|b| (b.heading.as_deref(), b.links.len()))
        .collect();
    assert_eq!(sizes, [(Some("相关阅读"), 3), (Some("热门排行"), 2)]);
}

#[test]
fn time_stamps_between_entries_stay_inside_the_block() {
    let text = "Harbour news today\n\
        The harbour master said the new pier will open to the public before the summer season begins.\n\
        Latest\n\
        - Ferry timetable changes for the holiday weekend\n\
        2 hours ago\n\
        - Fishing fleet returns early as the storm approaches\n\
        5 hours ago\n\
        - Museum ship opens its engine room to visitors\n";
    let page = inspect(text, "stamps.txt");
    assert_eq!(page.link_blocks.len(), 1);
    assert_eq!(page.link_blocks[0].links.len(), 3);
    assert_eq!(page.main_text.len(), 1);
}

#[test]
fn hard_wrapped_paragraphs_are_joined() {
    let text = "Notes from the allotment committee\n\
        \n\
        The committee met on a wet evening in the old scout hut and spent\n\
        most of the meeting on the question of the water supply, which has\n\
        failed twice this summer when the pump at the top field stopped.\n\
        \n\
        A quote for a new pump has been received and members agreed that\n\
        the cost should be shared across all plots, with a small extra\n\
        charge for the two plots that keep greenhouses on the site.\n\
        \n\
        The next meeting will be held in the same place.\n";
    let page = inspect(text, "allotment.txt");
    assert_eq!(page.title.text, "Notes from the allotment committee");
    assert_eq!(page.main_text.len(), 3, "{:#?}", page.main_text);
    assert!(page.main_text[0].starts_with("The committee met"));
    assert!(page.main_text[0].ends_with("top field stopped."));
    assert!(page.link_blocks.is_empty());
}

#[test]
fn inspect_command_reports_title_blocks_date_line_and_counter() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/text/scraped-harbour.txt"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pagescore"))
        .args(["inspect", path])
        .output()
        .expect("run pagescore inspect");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "title:      City council approves a new ferry terminal for the eastern harbour",
        "suffix:   新闻",
        "breadcrumb: Home > Markets",
        "counters:   Likes 1,284",
        "Posted:2024-11-03 18:20:41",
        "[1] More Stories (body, 6 links)",
        "[2] Most Read (body, 5 links)",
        "[3] Picked For You (body, 5 links)",
        "    - Retired teacher turns her garage into a tiny museum",
        "== main text (6 paragraphs)",
    ] {
        assert!(
            report.contains(expected),
            "missing {expected:?} in:\n{report}"
        );
    }

    let json = std::process::Command::new(env!("CARGO_BIN_EXE_pagescore"))
        .args(["inspect", "--json", path])
        .output()
        .expect("run pagescore inspect --json");
    let page: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    assert_eq!(page["link_blocks"].as_array().map(Vec::len), Some(3));
    assert_eq!(page["source"]["kind"], "text");
}

#[test]
fn a_labelled_pipe_breadcrumb_line_is_not_the_title() {
    // A site whose template labels its trail in another script: the trail is chrome, so the
    // script of its label must not count as junk in the title.
    let text = "位置：Home | Science\n\
                Glass frogs hide their blood while they sleep | Field Notes\n\
                Researchers found that the small tree frogs pull nearly all of their red blood \
                cells into the liver while resting, which makes them almost transparent.\n\
                The finding could help doctors understand how blood clots are avoided, the team \
                said in a paper published on Thursday.\n";
    let page = inspect(text, "frogs.txt");
    assert_eq!(page.breadcrumb, ["Home", "Science"]);
    assert_eq!(
        page.title.text,
        "Glass frogs hide their blood while they sleep"
    );
    assert_eq!(page.title.suffix.as_deref(), Some("Field Notes"));
}

#[test]
fn a_short_headline_fused_to_a_labelled_trail_is_split() {
    let text = "Sie sind hier: Home > InternationalSymptoms, Causes & Cures\n\
                Someone informs you that you had a brief staring spell during which you were \
                unresponsive and you have no memory of the episode at all.\n\
                It is normal to stare at times, and to have a vacant look when daydreaming about \
                winning the lottery, but a doctor should hear about spells like this one.\n";
    let page = inspect(text, "staring.txt");
    assert_eq!(page.breadcrumb, ["Home", "International"]);
    assert_eq!(page.title.text, "Symptoms, Causes & Cures");
}

#[test]
fn a_pipe_trail_from_the_home_page_is_a_breadcrumb_but_a_titled_pipe_is_not() {
    let body = "Members keep the channel running: income from memberships is essential for \
                its continued operation, and every gift helps supply the films.\n\
                The films are free to watch for everyone, in schools and at home, thanks to \
                the support of viewers like you.\n";
    let page = inspect(
        &format!("Home | Fitness\nBecome a member of the channel - Archive TV\n{body}"),
        "member.txt",
    );
    assert_eq!(page.breadcrumb, ["Home", "Fitness"]);
    assert_eq!(page.title.text, "Become a member of the channel");
    // "Headline | Site" stays a title with its suffix
    let page = inspect(
        &format!("Become a member | Archive TV\n{body}"),
        "member.txt",
    );
    assert!(page.breadcrumb.is_empty());
    assert_eq!(page.title.text, "Become a member");
    assert_eq!(page.title.suffix.as_deref(), Some("Archive TV"));
}

#[test]
fn a_labelled_trail_fused_to_the_headline_before_a_site_tag() {
    let body = "Thirty-three days of morning practice, one short session a day, are what the \
                course asks of its members this spring.\n\
                Every session builds on the one before, and the last week adds a longer flow.\n";
    let page = inspect(
        &format!("位置：Startseite | NewsEnergy Rising in 33 days | studio.example\n{body}"),
        "yoga.txt",
    );
    assert_eq!(page.breadcrumb, ["Startseite", "News"]);
    assert_eq!(page.title.text, "Energy Rising in 33 days");
    assert_eq!(page.title.suffix.as_deref(), Some("studio.example"));
    // an abbreviation is a crumb, not a sentence
    let page = inspect(
        &format!("位置：Home | U.S.\nVoters back the school budget - City Paper\n{body}"),
        "voters.txt",
    );
    assert_eq!(page.breadcrumb, ["Home", "U.S."]);
    assert_eq!(page.title.text, "Voters back the school budget");
}

#[test]
fn a_trail_under_a_teaser_is_the_breadcrumb_but_a_trail_deep_in_the_story_is_not() {
    // Text dumps of a page often carry the site's teaser for the story above its trail.
    let story = "Harbour pilots in the northern port went back to work on Monday after a \
                 two-week strike over night shifts and safety rules was settled late on Sunday.\n\
                 The agreement adds a second pilot on every night crossing and a review of the \
                 rota after six months, the union and the port authority said in a statement.\n\
                 Shipping lines had diverted more than forty vessels to other ports during the \
                 dispute, and the backlog of containers is expected to clear within ten days.\n\
                 Local businesses that depend on the ferry traffic welcomed the news, though \
                 several said the strike had cost them most of their summer trade this year.\n";
    let teaser = format!(
        "Pilots end strike\n\
         Here is everything you need to know about the deal that ended the strike this week.\n\
         Home > Markets\n\
         {story}"
    );
    let page = inspect(&teaser, "teaser.txt");
    assert_eq!(page.breadcrumb, ["Home", "Markets"]);
    // The same line after three paragraphs of the story is not the page's trail.
    let (first, rest) = story.split_at(story.match_indices('\n').nth(2).unwrap().0 + 1);
    let deep = format!("Pilots end strike\n{first}Home > Markets\n{rest}");
    let page = inspect(&deep, "deep.txt");
    assert!(page.breadcrumb.is_empty(), "{:?}", page.breadcrumb);
}

#[test]
fn a_navigation_menu_above_the_title_is_chrome() {
    let story = "The county opened its third public library branch on Saturday, in a converted \
                 grain store that had stood empty for more than twenty years.\n\
                 Volunteers moved eleven thousand books into the building over two weekends, \
                 and the branch will open six days a week from next month.\n";
    let page = inspect(
        &format!(
            "Politics | World | U.S. | Tech | Odd News\n\
             Home | Local\n\
             County opens its third library branch | valleytimes.example\n\
             {story}"
        ),
        "library.txt",
    );
    assert_eq!(page.title.text, "County opens its third library branch");
    assert_eq!(page.title.suffix.as_deref(), Some("valleytimes.example"));
    assert_eq!(page.breadcrumb, ["Home", "Local"]);
    // without a trail the title is the line under the menu
    let page = inspect(
        &format!(
            "News · Sport · Weather · Culture\nCounty opens its third library branch\n{story}"
        ),
        "library.txt",
    );
    assert_eq!(page.title.text, "County opens its third library branch");
    assert!(page.breadcrumb.is_empty());
    // three sections or a sentence among them: a title with a suffix, not a menu
    let page = inspect(
        &format!("Library opens | Valley Times | Local\n{story}"),
        "library.txt",
    );
    assert_eq!(page.title.text, "Library opens | Valley Times");
    let page = inspect(
        &format!("Read this now. | It is about the library | Valley | Times\n{story}"),
        "library.txt",
    );
    assert!(
        page.title.text.starts_with("Read this now."),
        "{:?}",
        page.title
    );
}

#[test]
fn a_home_page_trail_over_the_repeated_headline_is_the_breadcrumb_not_a_block() {
    let text = "Open-sourcing the printer frame files under a community licence | daily.example\n\
                Home > Nation\n\
                Open-sourcing the printer frame files under a community licence\n\
                Open-sourcing the printer frame files under a community licence\n\
                Today the company released the full design files for its two printer frames, so \
                that owners can load them into their own software and build parts.\n\
                The licence lets anyone modify and share the files, but not sell complete \
                machines built from them without a separate agreement.\n";
    let page = inspect(text, "frames.txt");
    assert_eq!(page.breadcrumb, ["Home", "Nation"]);
    assert!(
        page.link_blocks
            .iter()
            .all(|b| b.heading.as_deref() != Some("Home > Nation")),
        "{:#?}",
        page.link_blocks
    );
}

#[test]
fn a_list_of_headlines_of_one_width_is_not_hard_wrapped_prose() {
    // Headlines of 45-75 characters, one a line, look like wrapped text by width alone; each
    // starts with a capital, as a wrapped sentence's next line rarely does.
    let text = "World | U.S. | Tech | Sports | Entertainment | Lifestyle | Health\n\
                How well do you remember the girlfriends of the sitcom hero? Part 2\n\
                A late-night host is a terrible liar and his famous guest knows it\n\
                Like (20447)\n\
                Two actresses flirt in the first clip of the new courtroom drama\n\
                How the football drama on television was your high school experience\n\
                These four questions will decide if you could win the island show\n\
                Friendly reminder that one of the moons of Saturn looks like a base\n\
                We know which strange animation you need to see based on your sign\n\
                Twenty-two things everyone in love with the new film star understands\n";
    let page = inspect(text, "quiz.txt");
    assert_eq!(
        page.title.text,
        "How well do you remember the girlfriends of the sitcom hero? Part 2"
    );
    // no two headlines joined into one paragraph
    assert!(
        page.main_text.iter().all(|p| p.len() < 80),
        "{:#?}",
        page.main_text
    );
}

const SYNDICATED: &str = include_str!("fixtures/text/syndicated-counters.txt");
const PORTAL_ZH: &str = include_str!("fixtures/text/portal-zh.txt");

#[test]
fn wire_dateline_with_abbreviations_and_rows_of_counters() {
    let page = inspect(SYNDICATED, "syndicated.txt");
    // periods of "ST.", "Mo." and "Jan." belong to the dateline's place and date
    assert_eq!(page.datelines, ["ST. LOUIS, Mo., Jan. 5 (AP) —"]);
    // a row of counters joined by a middle dot is two counters; a reading count is one
    assert_eq!(
        page.counters,
        ["Views 12,345", "Shares 2,341", "Read 45,231 times"]
    );
    assert_eq!(page.breadcrumb, ["Home", "Weather", "Storms"]);
    assert_eq!(page.main_text.len(), 5, "{:#?}", page.main_text);
}

#[test]
fn cjk_date_line_and_reading_counter() {
    let page = inspect(PORTAL_ZH, "portal-zh.txt");
    let line = page
        .dates
        .iter()
        .find(|d| d.source == DateSource::VisibleLine)
        .unwrap_or_else(|| panic!("no date line in {:#?}", page.dates));
    assert_eq!(line.ymd, Some((2021, 3, 15)));
    assert_eq!(page.counters, ["阅读 (56,234)"]);
    assert_eq!(page.breadcrumb, ["首页", "本地新闻", "交通"]);
    assert_eq!(page.title.suffix.as_deref(), Some("城市新闻网"));
}
