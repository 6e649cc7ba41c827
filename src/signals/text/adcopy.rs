//! Synthetic web ad copy: deal and coupon headlines of the kind ad widgets and scraper templates
//! show among news ("Clearance Sale: … From $129 While Stocks Last").
//!
//! No labeled web ad copy exists in the training data (SMS spam is another register), so the
//! corpus builder puts these into spam pages and the promo classifier learns from them. Both
//! honour one split: template families, products and places with `i % 3 == 0` are held out, so
//! the test pages' ads come from families and products that no model trained on, and the
//! promo report measures exactly that generalisation. The wording is generic ad language written
//! here, not copied from any page.

use rand::seq::SliceRandom;
use rand::Rng;

/// Products the deals are for. The held-out split uses indices where `i % 3 == 0`.
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
];
/// Syllables of made-up brand names (brands carry no signal; shared by both splits).
const SYL_A: &[&str] = &[
    "Zen", "Vita", "Lux", "Nova", "Pure", "Flex", "Aero", "Glow", "Prime", "Ever", "Opti",
    "Bright", "Kora", "Sol",
];
const SYL_B: &[&str] = &[
    "ora", "ix", "ly", "max", "pro", "lab", "wave", "fit", "core", "tek", "belle", "vo",
];
/// Places in "… Residents Can Now Get …" copy. The held-out split uses `i % 3 == 0`.
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
];

/// Ad-snippet template families. The held-out split uses indices where `i % 3 == 0`.
const AD_TEMPLATES: &[&str] = &[
    "Exclusive Coupon: Save {p}% on {brand} {product} + Free Shipping",
    "{adj} Price Drop: {brand} {product} Now {p}% Off, Today Only",
    "Buy {m}, Get {n} Free: {brand} {product}s Are Flying Off the Shelves",
    "{city} Residents Can Now Get a {product} for Almost Nothing",
    "Use Code {code} and Save ${x} on {brand} {product}",
    "Why Everyone in {city} Is Switching to This ${x} {product}",
    "Clearance Sale: {brand} {product} From ${x} While Stocks Last",
    "Free {product} With Every Order Over ${x}, Limited Time",
    "Seniors Born Before {by} Are Eligible for {product} Discounts",
    "Top {n} {product} Deals This Week (Up to {p}% Off)",
    "Last Chance: {p}% Off {brand} {product} Ends Tonight",
    "Doctors Stunned: This {n}-Second {product} Trick Changes Everything",
    "Nur heute: {p}% Rabatt auf {brand} {product} – jetzt zugreifen",
    "Jetzt {n} {product} zum Preis von {m} sichern",
    "Offre flash : {brand} {product} à -{p}% aujourd'hui seulement",
    "Oferta exclusiva: {product} {brand} con {p}% de descuento",
    "限时特价：{brand}{product}仅需{x}元，立即抢购",
    "{brand} {product} Sale: {p}% Off + Double Rewards Points",
    "Get Your {product} for ${x}: Hurry, Only {n} Left in Stock",
    "{brand} Just Launched a {product} That Costs Less Than ${x}",
    "Shoppers Call This ${x} {product} 'Life-Changing', Now {p}% Off",
];

/// Adjectives of urgency ("Hot Price Drop").
const ADJECTIVES: &[&str] = &["Hot", "Huge", "Flash", "Secret", "Crazy", "Big"];

/// The items of `list` in the split (`test`: indices where `i % 3 == 0`).
fn of_split<'a>(list: &[&'a str], test: bool) -> Vec<&'a str> {
    list.iter()
        .enumerate()
        .filter(|(i, _)| (i % 3 == 0) == test)
        .map(|(_, s)| *s)
        .collect()
}

/// One deal headline from a template family, product and place of the split.
pub fn deal<R: Rng>(rng: &mut R, test: bool) -> String {
    let t = of_split(AD_TEMPLATES, test)
        .choose(rng)
        .copied()
        .unwrap_or(AD_TEMPLATES[0]);
    let product = of_split(PRODUCTS, test)
        .choose(rng)
        .copied()
        .unwrap_or(PRODUCTS[0]);
    let city = of_split(CITIES, test)
        .choose(rng)
        .copied()
        .unwrap_or(CITIES[0]);
    let brand = format!(
        "{}{}",
        SYL_A.choose(rng).unwrap_or(&"Nova"),
        SYL_B.choose(rng).unwrap_or(&"ix")
    );
    let m: u32 = rng.gen_range(1..4);
    let code: String = (0..rng.gen_range(5..9))
        .map(|_| char::from(b'A' + rng.gen_range(0..26u8)))
        .collect();
    t.replace("{p}", &(rng.gen_range(2..17u32) * 5).to_string())
        .replace("{brand}", &brand)
        .replace("{product}", product)
        .replace("{adj}", ADJECTIVES.choose(rng).unwrap_or(&"Hot"))
        .replace("{n}", &(m + rng.gen_range(1..9)).to_string())
        .replace("{m}", &m.to_string())
        .replace("{x}", &rng.gen_range(9..400).to_string())
        .replace("{city}", city)
        .replace("{code}", &code)
        .replace("{by}", &rng.gen_range(1950..1970).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn splits_share_no_family_or_product() {
        let mut rng = StdRng::seed_from_u64(7);
        let test_products = of_split(PRODUCTS, true);
        for _ in 0..500 {
            let d = deal(&mut rng, false);
            assert!(!d.contains('{'), "unfilled slot in {d}");
            assert!(
                !test_products.iter().any(|p| d.contains(p)),
                "held-out product in a training deal: {d}"
            );
        }
        let train = of_split(AD_TEMPLATES, false);
        assert!(of_split(AD_TEMPLATES, true)
            .iter()
            .all(|t| !train.contains(t)));
        assert_eq!(
            of_split(AD_TEMPLATES, true).len() + train.len(),
            AD_TEMPLATES.len()
        );
    }
}
