//! The report's "Economics" section, for a scenario with `[economics]`: the
//! four economics charts, the money KPIs, where the median cost-to-price
//! ratio lands against the published figures, and the refining routes.

use std::fmt::Write;

use crate::experiment::metrics::{Metric, named};
use crate::experiment::run::RunOutput;
use crate::output::money;
use crate::plot::format_number;
use crate::scenario::{CapexMethod, Economics};
use crate::stats::summary::Summary;

const COST_PER_KG: &Metric = named("cost_per_kg");
const PRICE: &Metric = named("price_usd_per_kg");
const RATIO: &Metric = named("cost_to_price_ratio");
const NPV: &Metric = named("npv_usd");
const IRR: &Metric = named("irr");
const BREAKEVEN_YEAR: &Metric = named("breakeven_year");
const BREAKEVEN_SHARE: &Metric = named("breakeven_share");
const HOME_SHARE: &Metric = named("home_refined_share");
const EXPORTED: &Metric = named("reo_exported_t");
const EXPORTED_PURITY: &Metric = named("reo_exported_purity_t");
const REFINED_HOME: &Metric = named("reo_refined_home_t");
const COST_HOME: &Metric = named("cost_refining_home_usd");
const COST_ABROAD: &Metric = named("cost_refining_abroad_usd");
const COST: &Metric = named("cost_usd");
const COST_PROGRAMME: &Metric = named("cost_programme_usd");
const REVENUE: &Metric = named("revenue_usd");
const REO_PRODUCED: &Metric = named("reo_produced_t");
const CASH_FLOW: &Metric = named("cash_flow_usd");

/// The KPIs of the section's table, in its order.
const TABLE: [&Metric; 7] = [
    COST_PER_KG,
    PRICE,
    RATIO,
    NPV,
    IRR,
    BREAKEVEN_YEAR,
    HOME_SHARE,
];

/// Writes the section for `run`, whose scenario has `economics`, with
/// charts named with `chart_extension`.
pub(super) fn write_section(
    md: &mut String,
    run: &RunOutput,
    economics: &Economics,
    chart_extension: &str,
) {
    let reps = run.replications;
    let capex = match economics.capex_method {
        CapexMethod::Annuity => "capital as an annuity over each unit's life",
        CapexMethod::Cash => "capital as cash in the year bought",
    };
    let _ = writeln!(md, "## Economics\n");
    let _ = writeln!(
        md,
        "US dollars of {} in real terms; simulated year 1 is {}; {capex}; discount rate {:.1}% a year. \
         How each figure is computed is in `docs/MODEL.md` §12.\n",
        economics.usd_base_year,
        economics.start_year,
        100.0 * economics.discount_rate
    );
    let phases = if run.scenario.phase.is_empty() {
        ""
    } else {
        "; dashed lines: phase starts"
    };
    let band = format!(
        "shaded bands: P10–P90 of the {reps} replications' values for each year; lines: their medians{phases}"
    );
    let years = run.scenario.scenario.years;
    let fraction = years - (years.ceil().max(1.0) - 1.0);
    let part = fraction > 1e-9 && fraction < 1.0 - 1e-9;
    let (part_points, part_blocks) = if part {
        (
            format!(
                " The last year lasts {} of a year (the horizon is {} years): its point stands at the horizon.",
                short(fraction),
                short(years)
            ),
            format!(
                " The last year lasts {} of a year: its blocks are that wide, at the rate per year of what \
                 that part year had.",
                short(fraction)
            ),
        )
    } else {
        (String::new(), String::new())
    };
    let dropped = dropped_cost_years(run, economics.start_year);
    let dropped_note = if dropped.is_empty() {
        String::new()
    } else {
        let why = match economics.capex_method {
            CapexMethod::Cash => " (capital as cash: the book value at the horizon is credited)",
            CapexMethod::Annuity => "",
        };
        format!(
            " A cost per kg at or below zero{why} cannot be drawn on a log scale: {} left off.",
            dropped.join(", ")
        )
    };
    let charts = [
        (
            "cost_per_kg",
            "Cost per kg REO against the market price",
            format!(
                "Each year's cost (every part) over the REO produced that year, and the basket's market price; \
                 log scale; {band}.{part_points}{dropped_note}"
            ),
        ),
        (
            "cash_flow",
            "Cumulative cash flow",
            format!(
                "Cash flow summed to the end of each year (capital as cash, without the residual value); {band}; \
                 the thick dashed line marks the median break-even year of the replications that break even, \
                 if any do.{part_points}"
            ),
        ),
        (
            "refining",
            "REO refined at home and abroad",
            format!(
                "Means across replications per year: refined at home, exported beyond home capacity, and \
                 exported because home refining cannot reach the purity that share needs.{part_blocks}"
            ),
        ),
        (
            "cost_breakdown",
            "Cost per year by part",
            format!(
                "Means across replications per year of each part of the cost; parts that are zero throughout \
                 are left out.{part_blocks}"
            ),
        ),
    ];
    for (stem, title, method) in charts {
        let _ = writeln!(md, "![{title}]({stem}.{chart_extension})\n");
        let _ = writeln!(md, "*{title}.* {method}\n");
    }

    let _ = writeln!(
        md,
        "Over the whole horizon, across replications; a break-even year and an IRR are summarised over the \
         replications that have one (n).\n"
    );
    let _ = writeln!(
        md,
        "| metric | unit | mean | 95% CI ± | P10 | P50 | P90 | n |"
    );
    let _ = writeln!(md, "|---|---|---:|---:|---:|---:|---:|---:|");
    for metric in TABLE {
        let Some(s) = kpi(run, metric) else {
            continue;
        };
        let label = if metric == BREAKEVEN_YEAR {
            let share = kpi(run, BREAKEVEN_SHARE).map_or(f64::NAN, |s| s.mean);
            format!("{} (breaking even: {})", metric.name, percent(share))
        } else {
            metric.name.to_string()
        };
        let unit = match metric.unit {
            "fraction" => "%".to_string(),
            _ => metric.horizon_unit(),
        };
        let _ = writeln!(md, "| {label} | {unit} | {} |", cells(metric, &s));
    }
    if let Some(irr) = kpi(run, IRR)
        && irr.n > 0
        && irr.n < reps
    {
        let _ = writeln!(
            md,
            "\nThe IRR exists in {} of the {reps} replications; in the others the yearly cash flows never \
             change sign, or no rate in (−99%, 1,000%] makes the NPV 0.",
            irr.n
        );
    }
    let _ = writeln!(md, "\n{}", totals_paragraph(run));
    let ratio = kpi(run, RATIO).map_or(f64::NAN, |s| s.p50);
    let _ = writeln!(md, "\n{}\n", ratio_sentence(ratio));
    let _ = writeln!(md, "{}\n", refining_paragraph(run));
}

/// Why a run has no IRR: `irr()` finds none when the yearly cash flows
/// never change sign, and also when no rate in its search range makes the
/// NPV zero.
const IRR_NONE: &str = "none: the yearly cash flows never change sign, or no rate in (−99%, 1,000%] \
                        makes the NPV 0";

/// The years (calendar, from `start_year`) whose cost per kg is at or
/// below zero in any quantile across replications: left off the log chart.
fn dropped_cost_years(run: &RunOutput, start_year: i64) -> Vec<String> {
    run.annual
        .iter()
        .filter(|row| row.metric == COST_PER_KG)
        .filter(|row| {
            [row.summary.p10, row.summary.p50, row.summary.p90]
                .iter()
                .any(|v| v.is_finite() && *v <= 0.0)
        })
        .map(|row| (start_year + row.year as i64 - 1).to_string())
        .collect()
}

/// The run's totals over its horizon: each KPI's mean rate per year times
/// the horizon's length, and, for a horizon under a year, what its rates
/// per year are.
fn totals_paragraph(run: &RunOutput) -> String {
    let years = run.scenario.scenario.years;
    let total = |metric: &Metric| kpi(run, metric).map_or(f64::NAN, |s| s.mean) * years;
    let usd = |x: f64| {
        if x.is_finite() {
            format!("USD {}", money::usd(x))
        } else {
            "–".to_string()
        }
    };
    let reo_t = total(REO_PRODUCED);
    let reo = if reo_t.is_finite() {
        format!("{} t", money::significant(reo_t))
    } else {
        "–".to_string()
    };
    let mut text = format!(
        "**Totals over the run** ({}; means across replications of the rates per year times the \
         horizon): cost {}, of which programme {}; revenue {}; REO produced {reo}; cash flow {}.",
        if years == 1.0 {
            "1 year".to_string()
        } else {
            format!("{} years", short(years))
        },
        usd(total(COST)),
        usd(total(COST_PROGRAMME)),
        usd(total(REVENUE)),
        usd(total(CASH_FLOW)),
    );
    if years < 1.0 {
        let _ = write!(
            text,
            " The horizon is under a year, so every rate per year in this report is that of a part year \
             of {} years scaled to a whole year: a one-off sum, such as the programme's, reads {} times \
             its size.",
            short(years),
            short(1.0 / years)
        );
    }
    text
}

/// A length in years with up to three decimals, trailing zeros dropped:
/// 0.15, 4.2, 10, 6.667.
fn short(x: f64) -> String {
    let text = format!("{x:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The horizon summary of `metric` in `run`.
fn kpi(run: &RunOutput, metric: &Metric) -> Option<Summary> {
    run.kpis
        .iter()
        .find(|(m, _)| *m == metric)
        .map(|(_, summary)| *summary)
}

/// The table cells of `summary`: mean, CI, P10, P50, P90 and n, as the
/// metric's unit reads; with no value at all, the mean cell says why.
fn cells(metric: &Metric, summary: &Summary) -> String {
    if summary.n == 0 {
        let why = match metric.name {
            "breakeven_year" => "none within the horizon",
            "irr" => IRR_NONE,
            "cost_to_price_ratio" => "none: no revenue",
            _ => "none: no REO produced",
        };
        return format!("{why} | – | – | – | – | 0");
    }
    let statistics = [
        summary.mean,
        summary.ci95_half_width,
        summary.p10,
        summary.p50,
        summary.p90,
    ];
    let text: Vec<String> = statistics
        .iter()
        .enumerate()
        .map(|(i, &x)| value(metric.unit, x, i == 1))
        .collect();
    format!("{} | {}", text.join(" | "), summary.n)
}

/// `x` in `unit`; `spread` for a CI half-width, which has no sign; "–"
/// where it has no value.
fn value(unit: &str, x: f64, spread: bool) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    match unit {
        "fraction" => percent(x),
        "USD" => money::usd(x),
        "year" if spread => format!("{x:.1}"),
        "year" => format!("{x:.0}"),
        _ => money::significant(x),
    }
}

/// A fraction as a percentage with one decimal; "–" without a value.
fn percent(x: f64) -> String {
    if x.is_finite() {
        format!("{:.1}%", 100.0 * x)
    } else {
        "–".to_string()
    }
}

/// A published figure for the cost of Minamitorishima rare earths against
/// the market price, as the range of ratios it stands for.
struct Published {
    low: f64,
    high: f64,
    /// The figure with its source, as the sentence names it.
    text: &'static str,
    /// The figure, short.
    name: &'static str,
}

/// "About" a figure: within this factor of it either way.
const ABOUT: f64 = 1.5;

/// The published figures (docs/MODEL.md §12.7), most specific first: a
/// ratio within [`ABOUT`] of a point figure lands on it before the range.
const PUBLISHED: [Published; 3] = [
    Published {
        low: 1200.0 / ABOUT,
        high: 1200.0 * ABOUT,
        text: "the ~1,200× of commentary on the 2026 test",
        name: "the ~1,200× of the 2026 test",
    },
    Published {
        low: 20.0 / ABOUT,
        high: 20.0 * ABOUT,
        text: "the ~20× the Dai-ichi Life Research Institute estimates for future production \
               (via Mainichi, 2026-02-16)",
        name: "the ~20× estimated for future production",
    },
    Published {
        // "Several" (数倍) to "several tens" (数十倍) of times: 2× to 99×.
        low: 2.0,
        high: 99.0,
        text: "Nikkei's \"several to several tens of times\" (2026-01-13, read as 2× to 99×)",
        name: "Nikkei's \"several to several tens of times\"",
    },
];

/// How far `ratio` is from `figure`'s range on a log scale; 0 within it.
fn distance(ratio: f64, figure: &Published) -> f64 {
    if ratio < figure.low {
        (figure.low / ratio).ln()
    } else if ratio > figure.high {
        (ratio / figure.high).ln()
    } else {
        0.0
    }
}

/// The published figure `ratio` (finite, positive) lands closest to: the
/// nearest on a log scale, the first in [`PUBLISHED`] order among those
/// whose range holds it.
fn closest(ratio: f64) -> &'static Published {
    PUBLISHED.iter().fold(&PUBLISHED[0], |best, figure| {
        if distance(ratio, figure) < distance(ratio, best) {
            figure
        } else {
            best
        }
    })
}

/// `ratio` against a point figure `of`: "about", "3.2 times", "0.53 times",
/// "1/113 of".
fn against(ratio: f64, of: f64) -> String {
    let factor = ratio / of;
    if (1.0 / ABOUT..=ABOUT).contains(&factor) {
        "about".to_string()
    } else if factor >= 10.0 {
        format!("{} times", format_number(factor, 0))
    } else if factor > 1.0 {
        format!("{} times", format_number(factor, 1))
    } else if factor >= 0.1 {
        format!("{} times", format_number(factor, 2))
    } else {
        format!("1/{} of", format_number(1.0 / factor, 0))
    }
}

/// Where the median cost-to-price ratio `ratio` lands against the
/// published figures, as a sentence.
fn ratio_sentence(ratio: f64) -> String {
    if !(ratio.is_finite() && ratio > 0.0) {
        return "The cost-to-price ratio is undefined in this run (no oxide was produced and sold), so it \
                cannot be set against the published figures (~1,200×, ~20×, \"several to several tens of \
                times\")."
            .to_string();
    }
    let [test, future, nikkei] = &PUBLISHED;
    let range = if ratio < nikkei.low {
        "below"
    } else if ratio > nikkei.high {
        "above"
    } else {
        "within"
    };
    format!(
        "The median cost-to-price ratio, {}×, lands closest to {}: it is {} {}, {} {}, and {range} {}. \
         These figures divide different costs by different prices (a programme's spend per kg of a sample; \
         a production cost against Chinese concentrate or against separated oxide): `docs/MODEL.md` §12.7 \
         explains the differences.",
        money::significant(ratio),
        closest(ratio).name,
        against(ratio, 1200.0),
        test.text,
        against(ratio, 20.0),
        future.text,
        nikkei.text,
    )
}

/// How the REO produced is refined, at home and abroad, and what each
/// route costs, from the horizon KPIs (means across replications).
fn refining_paragraph(run: &RunOutput) -> String {
    let mean = |metric: &Metric| kpi(run, metric).map_or(f64::NAN, |s| s.mean);
    let home_share = mean(HOME_SHARE);
    if !home_share.is_finite() {
        return "**Refining.** No REO was produced, so none was refined.".to_string();
    }
    let mut text = format!(
        "**Refining.** Over the horizon {} of the REO produced is refined at home and {} abroad.",
        percent(home_share),
        percent(1.0 - home_share)
    );
    let (home_t, exported_t) = (mean(REFINED_HOME), mean(EXPORTED));
    if exported_t > 0.0 {
        let purity_t = mean(EXPORTED_PURITY);
        let over_capacity_t = (exported_t - purity_t).max(0.0);
        let why = if purity_t <= 0.0 {
            "all of it beyond home capacity".to_string()
        } else if over_capacity_t <= 0.0 {
            "all of it because it needs a purity home refining cannot reach".to_string()
        } else {
            format!(
                "{} t/yr because it needs a purity home refining cannot reach and {} t/yr beyond home \
                 capacity",
                money::significant(purity_t),
                money::significant(over_capacity_t)
            )
        };
        let _ = write!(
            text,
            " Exported: {} t/yr, {why}.",
            money::significant(exported_t)
        );
    }
    let routes = [
        ("at home", home_t, mean(COST_HOME)),
        (
            "abroad, with the freight to the refinery,",
            exported_t,
            mean(COST_ABROAD),
        ),
    ];
    for (route, t, cost_usd) in routes {
        if t > 0.0 && cost_usd > 0.0 {
            let _ = write!(
                text,
                " Refining {route} costs USD {}/yr, USD {} per t REO.",
                money::usd(cost_usd),
                money::usd(cost_usd / t)
            );
        } else if t > 0.0 {
            let _ = write!(text, " Refining {route} costs nothing in this scenario.");
        }
    }
    text.push_str(" (Means across replications of each replication's rate per year.)");
    text
}

#[cfg(test)]
mod tests {
    use super::{COST_PER_KG, COST_PROGRAMME, PUBLISHED, closest, kpi, ratio_sentence};
    use crate::experiment::run::{RunOptions, RunOutput, ShipmentRow, run};
    use crate::output::money;
    use crate::output::report::render;
    use crate::scenario::{DEFAULT_SCENARIO, Scenario, load_str};

    fn run_default(edit: impl FnOnce(&mut Scenario)) -> RunOutput {
        let overrides = [
            "scenario.years=1".to_string(),
            "scenario.replications=3".to_string(),
        ];
        let mut scenario = load_str(DEFAULT_SCENARIO, "default", &overrides).unwrap();
        edit(&mut scenario);
        let mut shipments: Vec<ShipmentRow> = Vec::new();
        run(&scenario, &RunOptions::default(), &|| {}, &mut shipments).unwrap()
    }

    #[test]
    fn the_economics_section_appears_only_with_economics() {
        let with = render(&run_default(|_| {}), "svg");
        for text in [
            "## Economics",
            "![Cost per kg REO against the market price](cost_per_kg.svg)",
            "(cash_flow.svg)",
            "(refining.svg)",
            "(cost_breakdown.svg)",
            "| cost_per_kg | USD/kg |",
            "| npv_usd | USD |",
            "| irr | % |",
            "| breakeven_year (breaking even: ",
            "| home_refined_share | % |",
            "The median cost-to-price ratio, ",
            "**Refining.**",
        ] {
            assert!(with.contains(text), "{text} missing");
        }
        assert!(!with.contains("NaN"));

        let without = render(&run_default(|scenario| scenario.economics = None), "svg");
        assert!(!without.contains("## Economics"));
        assert!(!without.contains("cost_per_kg"));
    }

    #[test]
    fn undefined_money_figures_read_as_words() {
        // Priced at nothing, the oxide earns nothing: no break-even, no
        // IRR (every cash flow is negative), no cost-to-price ratio.
        let output = run_default(|scenario| {
            if let Some(economics) = &mut scenario.economics {
                economics.price = Default::default();
            }
        });
        let report = render(&output, "png");
        for text in [
            "| breakeven_year (breaking even: 0.0%) | year | none within the horizon | – |",
            "| irr | % | none: the yearly cash flows never change sign, or no rate in (−99%, 1,000%] makes the NPV 0 | – |",
            "| cost_to_price_ratio | ratio | none: no revenue | – |",
            "The cost-to-price ratio is undefined in this run",
        ] {
            assert!(report.contains(text), "{text} missing");
        }
        assert!(!report.contains("NaN"));
    }

    /// A 0.15-year run's rates per year are a part year's scaled up: the
    /// section gives the totals over the run and says so.
    #[test]
    fn a_part_year_run_gives_its_totals_and_says_its_rates_are_scaled() {
        let output = run_default(|scenario| scenario.scenario.years = 0.15);
        let report = render(&output, "png");
        let programme = kpi(&output, COST_PROGRAMME).unwrap().mean * 0.15;
        for text in [
            "**Totals over the run** (0.15 years; ".to_string(),
            format!("of which programme USD {}", money::usd(programme)),
            "The horizon is under a year, so every rate per year in this report is that of a part \
             year of 0.15 years scaled to a whole year"
                .to_string(),
            "The last year lasts 0.15 of a year (the horizon is 0.15 years): its point stands at the \
             horizon."
                .to_string(),
            "The last year lasts 0.15 of a year: its blocks are that wide".to_string(),
        ] {
            assert!(report.contains(&text), "{text} missing");
        }
        assert!(!report.contains("NaN"));

        let whole = render(&run_default(|_| {}), "png");
        assert!(whole.contains("**Totals over the run** (1 year; "));
        assert!(!whole.contains("under a year") && !whole.contains("The last year lasts"));
    }

    /// A cost per kg at or below zero (capital as cash, the book value
    /// credited) is left off the log chart, and the caption says so.
    #[test]
    fn a_cost_per_kg_at_or_below_zero_is_named_in_the_caption() {
        let mut output = run_default(|scenario| {
            if let Some(economics) = &mut scenario.economics {
                economics.capex_method = crate::scenario::CapexMethod::Cash;
            }
        });
        assert!(!render(&output, "png").contains("left off."));
        let start = output.scenario.economics.as_ref().unwrap().start_year;
        for row in &mut output.annual {
            if row.metric == COST_PER_KG {
                row.summary.p10 = -20.0;
            }
        }
        let report = render(&output, "png");
        let text = format!(
            "A cost per kg at or below zero (capital as cash: the book value at the horizon is \
             credited) cannot be drawn on a log scale: {start} left off."
        );
        assert!(report.contains(&text), "{text} missing");
    }

    #[test]
    fn a_ratio_lands_on_the_published_figure_nearest_to_it() {
        let [test, future, nikkei] = &PUBLISHED;
        // Within a factor 1.5 of a point figure: that figure, before the
        // range that also holds ~20×.
        assert_eq!(closest(1500.0).name, test.name);
        assert_eq!(closest(18.0).name, future.name);
        // In the range, away from 20×: the range.
        assert_eq!(closest(10.6).name, nikkei.name);
        assert_eq!(closest(60.0).name, nikkei.name);
        // Between the range and ~1,200× on a log scale: 99 × 8 ≈ 800 / 1.
        assert_eq!(closest(200.0).name, nikkei.name);
        assert_eq!(closest(600.0).name, test.name);
        // Below everything: the range's low end is nearest.
        assert_eq!(closest(0.7).name, nikkei.name);
        // Far above: the 2026 test.
        assert_eq!(closest(17_561.0).name, test.name);
    }

    #[test]
    fn the_ratio_sentence_says_where_the_ratio_lands_against_each_figure() {
        let commercial = ratio_sentence(8.55);
        assert!(
            commercial.contains("8.55×, lands closest to Nikkei's"),
            "{commercial}"
        );
        assert!(commercial.contains("1/140 of the ~1,200×"), "{commercial}");
        assert!(commercial.contains("0.43 times the ~20×"), "{commercial}");
        assert!(commercial.contains("within Nikkei's"), "{commercial}");

        let test_2026 = ratio_sentence(17_561.0);
        assert!(test_2026.contains("lands closest to the ~1,200× of the 2026 test"));
        assert!(test_2026.contains("15 times the ~1,200×"), "{test_2026}");
        assert!(test_2026.contains("878 times the ~20×"), "{test_2026}");
        assert!(test_2026.contains("above Nikkei's"), "{test_2026}");

        let future = ratio_sentence(22.0);
        assert!(future.contains("closest to the ~20× estimated for future production"));
        assert!(future.contains("about the ~20×"), "{future}");

        assert!(ratio_sentence(0.7).contains("below Nikkei's"));
    }

    #[test]
    fn an_undefined_ratio_is_said_in_words() {
        for ratio in [f64::NAN, 0.0] {
            let sentence = ratio_sentence(ratio);
            assert!(sentence.contains("undefined in this run"), "{sentence}");
            assert!(!sentence.contains("NaN"));
        }
    }
}
