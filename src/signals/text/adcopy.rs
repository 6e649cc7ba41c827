//! Synthetic web ad copy: deal, coupon and native-ad headlines of the kind ad widgets and
//! scraper templates show among news ("Clearance Sale: … From $129 While Stocks Last").
//!
//! No labeled web ad copy exists in the training data (SMS spam is another register), so the
//! corpus builder puts these into spam pages and the promo classifier learns from them. The
//! copy is composed from parts, the way ad servers assemble it: an optional hook ("Flash
//! Sale:"), an offer ("Save 30% on …"), an optional call to act ("While Supplies Last"); or a
//! native-ad sentence ("Why Everyone in Denver Is Switching to …"); or an offer in another
//! language. Every part list honours one split ([`DealParts`]): the items with `i % 3 == 0` are
//! held out, so the test pages' ads combine hooks, offers, calls, sentences, products and
//! places that no model trained on, and the promo report measures exactly that generalisation. The wording is
//! generic ad language written here, not copied from any page.

use rand::seq::SliceRandom;
use rand::Rng;

/// Products the deals are for.
const PRODUCTS: &[&str] = &[
    "Wireless Earbuds",
    "Air Fryer",
    "Robot Vacuum",
    "Anti-Aging Serum",
    "Smartwatch",
    "Memory Foam Mattress",
    "Cordless Drill",
    "Hearing Aid",
    "Solar Panel Kit",
    "Walk-In Tub",
    "Standing Desk",
    "Massage Gun",
    "Electric Toothbrush",
    "Dash Cam",
    "Noise-Cancelling Headphones",
    "Vitamin Gummies",
    "Hair Growth Oil",
    "Portable AC",
    "Eyelash Serum",
    "Phone Plan",
    "Gel Insoles",
    "Posture Corrector",
    "Water Flosser",
    "Espresso Machine",
    "Electric Bike",
    "Night Cream",
    "Dog Food Subscription",
    "Meal Kit",
    "Home Security Camera",
    "Knee Sleeve",
    "Running Shoe",
    "Cast Iron Skillet",
    "Blackout Curtain",
    "Gaming Laptop",
    "Weighted Blanket",
    "Car Insurance Quote",
    "Lipstick Set",
    "Protein Powder",
    "Smart Thermostat",
    "Luggage Set",
    "Winter Jacket",
    "Teeth Whitening Kit",
    "Streaming Plan",
    "Pressure Cooker",
    "Yoga Mat",
    "Ceramic Cookware Set",
    "Foot Massager",
    "Sunglasses",
    "Bath Towel Set",
    "Tablet",
    "Office Chair",
    "Patio Heater",
    "Bluetooth Speaker",
    "Collagen Powder",
    "Pet Camera",
    "Video Doorbell",
    "Hiking Boot",
    "Wine Club Membership",
    "Perfume",
    "Rowing Machine",
];

/// Syllables of made-up brand names (brands carry no signal; shared by both splits).
const SYL_A: &[&str] = &[
    "Zen", "Vita", "Lux", "Nova", "Pure", "Flex", "Aero", "Glow", "Prime", "Ever", "Opti",
    "Bright", "Kora", "Sol",
];
const SYL_B: &[&str] = &[
    "ora", "ix", "ly", "max", "pro", "lab", "wave", "fit", "core", "tek", "belle", "vo",
];

/// Places in native-ad copy ("… Residents Can Now Get …").
const CITIES: &[&str] = &[
    "Texas",
    "Florida",
    "California",
    "Ohio",
    "London",
    "Chicago",
    "Phoenix",
    "Denver",
    "Seattle",
    "Atlanta",
    "Toronto",
    "Manchester",
    "Arizona",
    "Boston",
    "Sydney",
];

/// Hooks that open composed copy ("Flash Sale: …").
const HOOKS: &[&str] = &[
    "Exclusive Coupon",
    "Deal Alert",
    "Flash Sale",
    "Today Only",
    "Hot Deal",
    "Members Only",
    "Weekend Special",
    "Limited-Time Offer",
    "Just Dropped",
    "Price Drop",
    "Lightning Deal",
    "Clearance Event",
    "Early Black Friday",
    "Cyber Week Deal",
    "New Customer Offer",
    "Bestseller Alert",
    "Steal of the Day",
    "Spring Sale",
    "Holiday Savings",
    "Sponsored Deal",
    "Mega Sale",
    "Deal of the Day",
    "Super Saver",
    "Doorbuster",
    "Warehouse Sale",
    "Back in Stock",
    "Outlet Sale",
    "VIP Access",
    "Insider Price",
    "Final Markdown",
];

/// Offers, the core of composed copy.
const OFFERS: &[&str] = &[
    "Save {p}% on {brand} {product}s",
    "{brand} {product} Now {p}% Off",
    "Buy {m}, Get {n} Free on {product}s",
    "Get {n} {product}s for the Price of {m}",
    "Half-Price {product}s",
    "{brand} {product} From Just ${x}",
    "Free {product} With Any Order Over ${x}",
    "Try the {brand} {product} Free for {d} Days",
    "{product} for Only ${x} a Month",
    "Save Up to ${x} on the {brand} {product}",
    "The {brand} {product} Hits Its Lowest Price Ever",
    "Two-for-One {product}s",
    "{p}% Off Your First {product} Order",
    "Take ${x} Off Any {product} With Code {code}",
    "{brand} {product} Bundle Saves You ${x}",
    "Free Shipping on Every {brand} {product}",
    "Second {product} Half Off",
    "Buy One {product}, Get One {p}% Off",
    "Top-Rated {product}s Under ${x}",
    "Trade In Your Old {product} and Save ${x}",
    "Earn ${x} Cash Back on a New {product}",
    "0% Financing on {brand} {product}s",
    "Get a Free Gift With Every {product}",
    "{brand} {product}s Slashed to ${x}",
    "Extra {p}% Off Sale {product}s",
    "{product} Prices Cut by Up to {p}%",
    "Grab a {brand} {product} for Under ${x}",
    "Your {product} Upgrade Starts at ${x}",
    "{n} {product}s for ${x}, Mix and Match",
    "Unlock Member Pricing on {product}s",
    "Double Points on Every {product}",
    "Buy Now, Pay Later on the {brand} {product}",
    "Refurbished {product}s at {p}% Below Retail",
    "Claim Your Free {product} Sample",
    "Pre-Order the New {brand} {product} and Save {p}%",
    "{brand} Slashes {product} Prices This Week",
];

/// Calls to act that close composed copy.
const CALLS: &[&str] = &[
    "Today Only",
    "While Supplies Last",
    "Ends Tonight",
    "Limited Stock",
    "Shop Now",
    "Order Now",
    "Don't Miss Out",
    "Hurry, Only {n} Left",
    "Offer Ends Sunday",
    "Get Yours Before They're Gone",
    "Free Returns",
    "Plus Free Shipping",
    "Claim Yours Now",
    "Act Fast",
    "Selling Out Fast",
    "Last Chance",
    "No Code Needed",
    "Online Only",
    "Until Midnight",
    "Limited Time Only",
    "In Stores and Online",
    "Sale Ends Soon",
    "See the Deal",
    "Save Now",
];

/// Native-ad sentences, the register of recommendation widgets.
const NATIVE: &[&str] = &[
    "{city} Residents Can Now Get a {product} for Almost Nothing",
    "Why Everyone in {city} Is Switching to This ${x} {product}",
    "Seniors Born Before {by} Are Eligible for {product} Discounts",
    "Doctors Stunned: This {n}-Second {product} Trick Changes Everything",
    "Shoppers Call This ${x} {product} 'Life-Changing', Now {p}% Off",
    "{brand} Just Launched a {product} That Costs Less Than ${x}",
    "{city} Homeowners Are Getting a {product} Installed for $0",
    "Unsold {product}s in {city} Are Going for Next to Nothing",
    "This {product} Is Selling Out Everywhere, and It's {p}% Off Right Now",
    "The {product} Everyone in {city} Is Talking About Is on Sale",
    "Online Shoppers Are Obsessed With This ${x} {product}",
    "{city}: New Program Gives Drivers a {product} at No Cost",
    "Retirees in {city} Are Grabbing This {product} Before the Price Goes Up",
    "Thousands Are Ditching Their Old {product} for This ${x} Alternative",
    "Experts Say This {product} Is Worth Every Penny, and Today It's {p}% Off",
    "Skip the Store: Get a {brand} {product} Delivered for ${x}",
    "{city} Families Could Save ${x} a Year With This {product}",
    "Readers Snapped Up {n},000 of These {product}s Last Month",
    "Here's Why {brand} {product}s Are Flying Off the Shelves",
    "Own a {product}? Claim Your ${x} Rebate Before It Expires",
    "Stop Overpaying for Your {product}: Compare Prices in {city}",
    "The ${x} {product} That Sold Out {n} Times Is Finally Back",
    "Get Paid to Test a {brand} {product}: {city} Spots Open",
    "Top {n} {product} Deals This Week (Up to {p}% Off)",
];

/// Offers in other languages (scraper networks run in many).
const FOREIGN: &[&str] = &[
    "Nur heute: {p}% Rabatt auf {brand} {product}",
    "Jetzt {n} {product} zum Preis von {m} sichern",
    "Gratis Versand auf alle {brand}-Bestellungen über {x} €",
    "Sonderangebot: {brand} {product} ab {x} €, solange der Vorrat reicht",
    "Offre flash : {brand} {product} à -{p}% aujourd'hui seulement",
    "Soldes : jusqu'à -{p}% sur {product}, livraison offerte",
    "{n} achetés = {m} offert sur toute la gamme {brand}",
    "Oferta exclusiva: {product} {brand} con {p}% de descuento",
    "Rebajas: {brand} {product} desde {x} €, envío gratis",
    "Compra {m} y llévate {n}: solo esta semana",
    "Offerta lampo: {brand} {product} scontato del {p}%",
    "Solo oggi: spedizione gratuita su {product} {brand}",
    "Aanbieding: {brand} {product} nu {p}% korting",
    "Promoção: {product} {brand} com {p}% de desconto, só hoje",
    "限时特价：{brand}{product}仅需{x}元，立即抢购",
    "买{m}送{n}：{brand}{product}限量发售",
    "Promocja: {brand} {product} taniej o {p}%, tylko dziś",
    "Superoferta: {brand} {product} a mitad de precio",
];

/// How a hook joins the offer, and the offer its call to act.
const HOOK_JOINS: &[&str] = &[": ", " - ", " – ", "! ", " | "];
const CALL_JOINS: &[&str] = &[", ", " – ", " - ", "! ", ". "];

/// Which parts of every list a deal is composed from. The items with `i % 3 == 0` are held
/// out (the test pages' ads, and the promo report); the rest train the shipped promo
/// classifier. Of those, the items with `i % 3 == 1` also go into the training pages' ads and
/// the ones with `i % 3 == 2` alone train the classifier whose outputs the spam model learns
/// from (see `train::train_for_features`), so that the spam model learns how the classifier
/// scores ads it has never seen, not how it scores its own training copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DealParts {
    /// The held-out parts (`i % 3 == 0`).
    HeldOut,
    /// Every training part (`i % 3 != 0`): the shipped promo classifier's.
    Train,
    /// The training parts the training pages' ads use (`i % 3 == 1`).
    TrainPages,
    /// The training parts the features' promo classifier uses (`i % 3 == 2`).
    TrainText,
}

impl DealParts {
    /// The held-out parts for `test`, else every training part.
    pub fn of_test(test: bool) -> Self {
        if test {
            DealParts::HeldOut
        } else {
            DealParts::Train
        }
    }

    fn keeps(self, i: usize) -> bool {
        match self {
            DealParts::HeldOut => i % 3 == 0,
            DealParts::Train => i % 3 != 0,
            DealParts::TrainPages => i % 3 == 1,
            DealParts::TrainText => i % 3 == 2,
        }
    }
}

/// The items of `list` in `parts` (all training items when a list is too short to have any
/// in a training third).
fn of_split<'a>(list: &[&'a str], parts: DealParts) -> Vec<&'a str> {
    let pick = |parts: DealParts| -> Vec<&'a str> {
        list.iter()
            .enumerate()
            .filter(|(i, _)| parts.keeps(*i))
            .map(|(_, s)| *s)
            .collect()
    };
    let items = pick(parts);
    if items.is_empty() && parts != DealParts::HeldOut {
        pick(DealParts::Train)
    } else {
        items
    }
}

fn pick<'a, R: Rng>(rng: &mut R, list: &[&'a str], parts: DealParts) -> &'a str {
    of_split(list, parts)
        .choose(rng)
        .copied()
        .unwrap_or(list[0])
}

/// One ad headline from the parts of the split.
pub fn deal<R: Rng>(rng: &mut R, parts: DealParts) -> String {
    let (template, english) = match rng.gen_range(0..10) {
        0..=5 => {
            let mut t = String::new();
            let hook = rng.gen_bool(0.6).then(|| pick(rng, HOOKS, parts));
            if let Some(hook) = hook {
                t.push_str(hook);
                t.push_str(HOOK_JOINS.choose(rng).unwrap_or(&": "));
            }
            t.push_str(pick(rng, OFFERS, parts));
            let call = pick(rng, CALLS, parts);
            if rng.gen_bool(0.5) && hook != Some(call) {
                t.push_str(CALL_JOINS.choose(rng).unwrap_or(&", "));
                t.push_str(call);
            }
            (t, true)
        }
        6..=8 => (pick(rng, NATIVE, parts).to_string(), true),
        _ => (pick(rng, FOREIGN, parts).to_string(), false),
    };
    let ad = fill(rng, &template, parts);
    // Widgets print English ad copy in Title Case mostly, in sentence case often.
    if english && rng.gen_bool(0.3) {
        sentence_case(&ad)
    } else {
        ad
    }
}

/// Fills the slots of a template with a product, place, brand and numbers.
fn fill<R: Rng>(rng: &mut R, template: &str, parts: DealParts) -> String {
    let product = pick(rng, PRODUCTS, parts);
    let city = pick(rng, CITIES, parts);
    let brand = format!(
        "{}{}",
        SYL_A.choose(rng).unwrap_or(&"Nova"),
        SYL_B.choose(rng).unwrap_or(&"ix")
    );
    let m: u32 = rng.gen_range(1..4);
    let code: String = (0..rng.gen_range(5..9))
        .map(|_| char::from(b'A' + rng.gen_range(0..26u8)))
        .collect();
    let ad = template
        .replace("{product}s", &plural(product))
        .replace("{p}", &(rng.gen_range(2..17u32) * 5).to_string())
        .replace("{brand}", &brand)
        .replace("{product}", product)
        .replace("{n}", &(m + rng.gen_range(1..9)).to_string())
        .replace("{m}", &m.to_string())
        .replace("{x}", &rng.gen_range(9..400).to_string())
        .replace(
            "{d}",
            [7, 14, 30, 60]
                .choose(rng)
                .unwrap_or(&30)
                .to_string()
                .as_str(),
        )
        .replace("{city}", city)
        .replace("{code}", &code)
        .replace("{by}", &rng.gen_range(1950..1970).to_string());
    // "a Air Fryer" → "an Air Fryer"
    ["A", "E", "I", "O", "U"].iter().fold(ad, |ad, v| {
        ad.replace(&format!(" a {v}"), &format!(" an {v}"))
    })
}

/// English plural of a product name ("Toothbrush" → "Toothbrushes", "Earbuds" stays).
fn plural(product: &str) -> String {
    if product.ends_with('s') {
        product.to_string()
    } else if product.ends_with("sh") || product.ends_with("ch") || product.ends_with('x') {
        format!("{product}es")
    } else if let Some(stem) = product
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'o', 'u']))
    {
        format!("{stem}ies")
    } else {
        format!("{product}s")
    }
}

/// "Save 30% On Running Shoes" → "Save 30% on running shoes": capitalised words after the
/// first are lowered; codes in capitals and words with digits stay.
fn sentence_case(s: &str) -> String {
    s.split(' ')
        .enumerate()
        .map(|(i, w)| {
            let has_lower = w.chars().any(char::is_lowercase);
            if i == 0 || !has_lower || w.chars().any(|c| c.is_ascii_digit()) {
                w.to_string()
            } else {
                w.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn training_deals_use_no_held_out_part() {
        let mut rng = StdRng::seed_from_u64(7);
        let lists = [PRODUCTS, HOOKS, CALLS];
        let train_parts: Vec<String> = lists
            .iter()
            .flat_map(|list| of_split(list, DealParts::Train))
            .map(str::to_lowercase)
            .collect();
        // Held-out products, hooks and calls (sentence case lowers them), except a phrase that
        // a training part contains as it is.
        let held_out: Vec<String> = lists
            .iter()
            .flat_map(|list| of_split(list, DealParts::HeldOut))
            .filter(|s| !s.contains('{'))
            .map(str::to_lowercase)
            .filter(|h| !train_parts.iter().any(|t| t.contains(h.as_str())))
            .collect();
        assert!(held_out.len() > 20);
        for _ in 0..3000 {
            let d = deal(&mut rng, DealParts::Train);
            assert!(!d.contains('{'), "unfilled slot in {d}");
            let lower = d.to_lowercase();
            if let Some(h) = held_out.iter().find(|h| lower.contains(h.as_str())) {
                panic!("held-out part {h:?} in a training deal: {d}");
            }
        }
    }

    #[test]
    fn splits_partition_every_list() {
        for list in [PRODUCTS, CITIES, HOOKS, OFFERS, CALLS, NATIVE, FOREIGN] {
            let (train, test) = (
                of_split(list, DealParts::Train),
                of_split(list, DealParts::HeldOut),
            );
            assert_eq!(train.len() + test.len(), list.len());
            assert!(test.iter().all(|t| !train.contains(t)));
            assert!(!test.is_empty() && train.len() > test.len());
            // the training pages' parts and the features' classifier's parts split the
            // training parts between them
            let (pages, text) = (
                of_split(list, DealParts::TrainPages),
                of_split(list, DealParts::TrainText),
            );
            assert_eq!(pages.len() + text.len(), train.len(), "{list:?}");
            assert!(pages.iter().all(|p| !text.contains(p)));
        }
    }

    #[test]
    fn held_out_deals_fill_every_slot() {
        let mut rng = StdRng::seed_from_u64(11);
        for _ in 0..2000 {
            let d = deal(&mut rng, DealParts::HeldOut);
            assert!(!d.contains('{') && !d.contains('}'), "unfilled slot in {d}");
        }
    }

    #[test]
    fn sentence_case_keeps_codes_and_numbers() {
        assert_eq!(
            sentence_case("Take $20 Off Any Tablet With Code SAVEBIG"),
            "Take $20 off any tablet with code SAVEBIG"
        );
    }
}
