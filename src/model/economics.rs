//! The money side of one replication, settled after its simulation from
//! its year records and time budgets: vessel day rates and fuel by state
//! group, capital cost of every unit bought, processing, transport,
//! refining at home and abroad, revenue at the oxide prices (with their
//! stochastic factor), cash flow, NPV, IRR and the break-even year.
//! docs/MODEL.md §12 gives the equations.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Open01, StandardNormal};

use super::fleet::ShuttleState;
use super::hub::HubShipState;
use super::lift::SystemState;
use super::records::{Replication, YearRecord};
use super::streams::{Owner, Purpose, figure_uniform, stream};
use crate::scenario::{
    ByState, Capex, CapexMethod, CapexTable, Economics, Figure, Scenario, StateGroup,
};
use crate::stats::budget::TimeBudget;

/// kg per t.
const KG_PER_T: f64 = 1000.0;
/// Hours per day: day rates and fuel are per vessel-day.
const HOURS_PER_DAY: f64 = 24.0;

/// One simulated year's money, USD.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct YearMoney {
    /// Oxide sold at the year's prices.
    pub revenue_usd: f64,
    /// Day rates of every vessel on the books.
    pub vessels_usd: f64,
    pub fuel_usd: f64,
    /// Capital cost as the scenario's `capex_method` charges it.
    pub capex_usd: f64,
    pub processing_usd: f64,
    pub transport_usd: f64,
    pub refining_home_usd: f64,
    /// Toll refining abroad and the freight to it.
    pub refining_abroad_usd: f64,
    /// The programme's lump sum (year 1 only).
    pub programme_usd: f64,
    /// Revenue less every cost, with capital as cash: bought less sold.
    pub cash_flow_usd: f64,
    /// The oxide basket's market price in the year, USD/kg.
    pub price_usd_per_kg: f64,
}

impl YearMoney {
    /// Every cost of the year, capital as charged.
    pub fn cost_usd(&self) -> f64 {
        self.vessels_usd
            + self.fuel_usd
            + self.capex_usd
            + self.processing_usd
            + self.transport_usd
            + self.refining_home_usd
            + self.refining_abroad_usd
            + self.programme_usd
    }
}

/// One replication's money over the horizon.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Money {
    pub years: Vec<YearMoney>,
    /// Book value of the units still in service at the horizon, USD.
    pub residual_usd: f64,
    /// Net present value of the cash flows and the residual value, USD.
    pub npv_usd: f64,
    /// The discount rate at which the NPV is zero, where there is one.
    pub irr: Option<f64>,
    /// The first calendar year whose cumulative cash flow is ≥ 0.
    pub breakeven_year: Option<i64>,
}

/// Settles the money of `replication` (replication `number` of seed
/// `seed`) of `scenario`, which has an `[economics]` section.
pub(super) fn account(
    scenario: &Scenario,
    economics: &Economics,
    replication: &Replication,
    seed: u64,
    number: u64,
) -> Money {
    let horizon_y = scenario.scenario.years;
    let draws = Draws { seed, number };
    let calendar = |index: usize| economics.start_year + index as i64;
    let mut years: Vec<YearMoney> = Vec::with_capacity(replication.years.len());
    let mut prices = PriceFactor::new(stream(seed, number, Purpose::Prices, Owner::Site));
    for (index, record) in replication.years.iter().enumerate() {
        let mid_y = (index as f64 + (index as f64 + 1.0).min(horizon_y)) / 2.0;
        let in_force = in_force_at(scenario, mid_y);
        let e = in_force.economics.as_ref().unwrap_or(economics);
        let year = calendar(index);
        let figure = |path: &str, figure: &Figure| figure.value(year, draws.uniform(path));
        let mut money = YearMoney::default();
        let fuel_price = figure("economics.fuel_usd_per_t", &e.fuel_usd_per_t);
        let (rates, fuel) = (&e.day_rate_usd, &e.fuel_t_per_d);
        let fleets: [Fleet; 3] = [
            (
                "mining_system",
                &replication.system_budget,
                system_group,
                &rates.mining_system,
                &fuel.mining_system,
            ),
            (
                "shuttle",
                &replication.shuttle_budget,
                shuttle_group,
                &rates.shuttle,
                &fuel.shuttle,
            ),
            (
                "hub_ship",
                &replication.hub_ship_budget,
                hub_ship_group,
                &rates.hub_ship,
                &fuel.hub_ship,
            ),
        ];
        for (vessel, budget, group, rates, fuel) in fleets {
            let days = group_days(budget, index, group);
            for at in StateGroup::ALL {
                let d = *days.get(at);
                let path = format!("economics.day_rate_usd.{vessel}.{}", at.name());
                money.vessels_usd += d * figure(&path, rates.get(at));
                money.fuel_usd += d * fuel.get(at) * fuel_price;
            }
        }
        money.processing_usd = record.processed_dry_t
            * figure(
                "economics.processing_usd_per_dry_t",
                &e.processing_usd_per_dry_t,
            );
        money.transport_usd = record.delivered_wet_t
            * route_nm(in_force)
            * figure(
                "economics.transport_usd_per_t_nm",
                &e.transport_usd_per_t_nm,
            );
        let r = &e.refining;
        money.refining_home_usd = record.reo_home_t
            * figure(
                "economics.refining.home_usd_per_t_reo",
                &r.home_usd_per_t_reo,
            );
        money.refining_abroad_usd = record.reo_export_t
            * (figure(
                "economics.refining.abroad_usd_per_t_reo",
                &r.abroad_usd_per_t_reo,
            ) + figure(
                "economics.refining.export_freight_usd_per_t_reo",
                &r.export_freight_usd_per_t_reo,
            ));
        if index == 0 {
            money.programme_usd = figure("economics.programme_cost_usd", &e.programme_cost_usd);
        }
        let factor = prices.next(e, year);
        money.price_usd_per_kg = factor * basket_price(e, in_force, record, &figure);
        money.revenue_usd = reo_t(record) * KG_PER_T * money.price_usd_per_kg;
        years.push(money);
    }
    let capital = Capital::of(scenario, economics, &draws);
    let last = years.len().saturating_sub(1);
    for (index, money) in years.iter_mut().enumerate() {
        money.capex_usd = match economics.capex_method {
            CapexMethod::Annuity => capital.annuity_usd[index],
            // The book value of the units in service at the horizon is
            // taken back in the last year, as if they were sold then
            // (docs/MODEL.md §12.4); the cash flow does not receive it.
            CapexMethod::Cash => {
                let at_horizon = if index == last {
                    capital.residual_usd
                } else {
                    0.0
                };
                capital.bought_usd[index] - capital.sold_usd[index] - at_horizon
            }
        };
        let operating = money.cost_usd() - money.capex_usd;
        money.cash_flow_usd =
            money.revenue_usd - operating - capital.bought_usd[index] + capital.sold_usd[index];
    }
    let flows: Vec<f64> = years.iter().map(|m| m.cash_flow_usd).collect();
    let rate = economics.discount_rate;
    Money {
        npv_usd: npv_at(&flows, capital.residual_usd, rate, horizon_y),
        irr: irr_at(&flows, capital.residual_usd, horizon_y),
        breakeven_year: breakeven(&flows).map(calendar),
        residual_usd: capital.residual_usd,
        years,
    }
}

/// The replication's draws of random figures, one uniform per figure.
struct Draws {
    seed: u64,
    number: u64,
}

impl Draws {
    fn uniform(&self, path: &str) -> f64 {
        figure_uniform(self.seed, self.number, path)
    }
}

/// The scenario in force `t_y` years after the start: that of the last
/// phase begun by then, or the scenario itself.
fn in_force_at(scenario: &Scenario, t_y: f64) -> &Scenario {
    scenario
        .resolved_phases
        .iter()
        .rev()
        .find(|phase| phase.start_year - 1.0 <= t_y)
        .map_or(scenario, |phase| &phase.scenario)
}

/// REO recovered in the year, t.
fn reo_t(record: &YearRecord) -> f64 {
    record.reo_light_t + record.reo_heavy_t
}

/// The basket's price before the stochastic factor, USD/kg: by group,
/// weighted by the year's light and heavy oxide (by the ore's heavy share
/// in a year without any); by element, the shares' weighted prices.
fn basket_price(
    e: &Economics,
    in_force: &Scenario,
    record: &YearRecord,
    figure: &impl Fn(&str, &Figure) -> f64,
) -> f64 {
    let price = &e.price;
    if let Some(elements) = &price.elements {
        return elements
            .iter()
            .map(|(name, element)| {
                let path = format!("economics.price.elements.{name}.usd_per_kg");
                element.share * figure(&path, &element.usd_per_kg)
            })
            .sum();
    }
    let heavy_share = if reo_t(record) > 0.0 {
        record.reo_heavy_t / reo_t(record)
    } else {
        in_force.ore.heavy_share
    };
    let light = price
        .light_usd_per_kg
        .as_ref()
        .map_or(0.0, |f| figure("economics.price.light_usd_per_kg", f));
    let heavy = price
        .heavy_usd_per_kg
        .as_ref()
        .map_or(0.0, |f| figure("economics.price.heavy_usd_per_kg", f));
    light * (1.0 - heavy_share) + heavy * heavy_share
}

/// The stochastic factor on prices: the log factor X is AR(1) towards 0,
/// X_t = φ X_{t−1} + σ ε_t + ln(shocks of year t), φ = e^−κ, and the factor
/// is exp(X_t − V_t / 2), V_t = φ² V_{t−1} + σ², so that without shocks its
/// mean is 1 and the price path is the expected price.
struct PriceFactor {
    rng: ChaCha8Rng,
    log: f64,
    variance: f64,
}

impl PriceFactor {
    fn new(rng: ChaCha8Rng) -> Self {
        PriceFactor {
            rng,
            log: 0.0,
            variance: 0.0,
        }
    }

    /// The factor in calendar year `year` under `e`'s parameters. Every
    /// year draws one normal and one uniform, used or not, so changing one
    /// parameter leaves the other draws as they were.
    fn next(&mut self, e: &Economics, year: i64) -> f64 {
        let innovation: f64 = StandardNormal.sample(&mut self.rng);
        let shock_u: f64 = self.rng.sample(Open01);
        let Some(s) = &e.price.stochastic else {
            return 1.0;
        };
        let phi = (-s.reversion_per_y).exp();
        self.log = phi * self.log + s.volatility * innovation;
        self.variance = phi * phi * self.variance + s.volatility * s.volatility;
        if shock_u < s.shock_probability_per_y {
            self.log += s.shock_factor.ln();
        }
        for shock in s.shocks.iter().filter(|shock| shock.year == year) {
            self.log += shock.factor.ln();
        }
        (self.log - self.variance / 2.0).exp()
    }
}

/// Distance a delivered tonne travels from the site, nm (via the hub).
fn route_nm(s: &Scenario) -> f64 {
    s.hub.as_ref().map_or(s.site.port_distance_nm, |hub| {
        hub.site_distance_nm + hub.port_distance_nm
    })
}

/// One vessel type's name, time budget, state groups, day rates and fuel.
type Fleet<'a> = (
    &'static str,
    &'a TimeBudget,
    fn(usize) -> StateGroup,
    &'a ByState<Figure>,
    &'a ByState<f64>,
);

/// Vessel-days of year `year` of `budget` in each state group.
fn group_days(budget: &TimeBudget, year: usize, group: fn(usize) -> StateGroup) -> ByState<f64> {
    let mut days = ByState::<f64>::default();
    if year >= budget.years() {
        return days;
    }
    for state in 0..budget.states() {
        let d = budget.hours(year, state) / HOURS_PER_DAY;
        match group(state) {
            StateGroup::Operating => days.operating += d,
            StateGroup::Standby => days.standby += d,
            StateGroup::Transit => days.transit += d,
            StateGroup::InPort => days.in_port += d,
        }
    }
    days
}

/// A mining system's state group: production work, waiting on site,
/// sailing, or at the port.
pub fn system_group(state: usize) -> StateGroup {
    use SystemState as S;
    match SystemState::ALL[state] {
        S::TrippingIn | S::TrippingOut | S::Lifting | S::Relocation => StateGroup::Operating,
        S::Blocked | S::Weather | S::Typhoon | S::Failure | S::Maintenance | S::CrewChange => {
            StateGroup::Standby
        }
        S::Transit => StateGroup::Transit,
        S::Idle | S::PortQueue | S::Unloading => StateGroup::InPort,
    }
}

/// A shuttle's state group.
pub fn shuttle_group(state: usize) -> StateGroup {
    use ShuttleState as S;
    match ShuttleState::ALL[state] {
        S::Transferring => StateGroup::Operating,
        S::SiteQueue | S::WaitingCargo | S::Weather | S::Typhoon => StateGroup::Standby,
        S::Transit => StateGroup::Transit,
        S::Idle | S::PortQueue | S::Unloading => StateGroup::InPort,
    }
}

/// A hub ship's state group (waiting at the hub is standby).
pub fn hub_ship_group(state: usize) -> StateGroup {
    use HubShipState as S;
    match HubShipState::ALL[state] {
        S::Loading => StateGroup::Operating,
        S::WaitingCargo => StateGroup::Standby,
        S::Transit => StateGroup::Transit,
        S::PortQueue | S::Unloading => StateGroup::InPort,
    }
}

/// Units of one asset bought together.
#[derive(Clone, Copy, Debug)]
struct Vintage {
    /// When bought, years from the start.
    bought_y: f64,
    quantity: f64,
    /// Price per unit, USD.
    price_usd: f64,
    life_y: f64,
    salvage_usd: f64,
    /// Equivalent annual cost per unit, USD per year in service.
    annuity_usd: f64,
}

impl Vintage {
    fn end_of_life_y(&self) -> f64 {
        self.bought_y + self.life_y
    }

    /// Book value per unit at `t_y`: straight-line from the price to the
    /// salvage value over the life.
    fn book_value_usd(&self, t_y: f64) -> f64 {
        let used = ((t_y - self.bought_y) / self.life_y).clamp(0.0, 1.0);
        self.price_usd - (self.price_usd - self.salvage_usd) * used
    }
}

/// The equivalent annual cost of a unit of price `c`, salvage value `s`
/// and life `life_y` at discount rate `r`: (c − s·v^L)·r / (1 − v^L),
/// v = 1/(1 + r); (c − s)/L when r = 0.
pub fn annuity_usd(c: f64, s: f64, life_y: f64, r: f64) -> f64 {
    if r.abs() < 1e-12 {
        return (c - s) / life_y;
    }
    let v_l = (1.0 + r).powf(-life_y);
    (c - s * v_l) * r / (1.0 - v_l)
}

/// The capital side of the horizon, per simulated year.
struct Capital {
    /// Price of the units bought in each year, USD.
    bought_usd: Vec<f64>,
    /// Salvage and sale proceeds of units leaving service, USD.
    sold_usd: Vec<f64>,
    /// Equivalent annual cost of the unit-years in service, USD.
    annuity_usd: Vec<f64>,
    /// Book value of the units in service at the horizon, USD.
    residual_usd: f64,
}

/// An asset's quantity at the start and from each phase on.
type Schedule = Vec<(f64, f64)>;

impl Capital {
    fn of(scenario: &Scenario, economics: &Economics, draws: &Draws) -> Capital {
        let horizon_y = scenario.scenario.years;
        let count = scenario.scenario.years.ceil().max(1.0) as usize;
        let mut capital = Capital {
            bought_usd: vec![0.0; count],
            sold_usd: vec![0.0; count],
            annuity_usd: vec![0.0; count],
            residual_usd: 0.0,
        };
        type Quantity = fn(&Scenario) -> f64;
        let assets: [(&str, CapexOf, Quantity); 5] = [
            (
                "mining_system",
                |c| &c.mining_system,
                |s| f64::from(s.mining.systems),
            ),
            ("shuttle", |c| &c.shuttle, |s| f64::from(s.fleet.shuttles)),
            (
                "hub_ship",
                |c| &c.hub_ship,
                |s| s.hub.as_ref().map_or(0.0, |h| f64::from(h.ships)),
            ),
            (
                "hub",
                |c| &c.hub,
                |s| if s.hub.is_some() { 1.0 } else { 0.0 },
            ),
            (
                "plant_per_dry_t_per_d",
                |c| &c.plant_per_dry_t_per_d,
                |s| s.port.plant_capacity_dry_t_per_d,
            ),
        ];
        for (asset, capex, quantity) in assets {
            let mut schedule: Schedule = vec![(0.0, quantity(scenario))];
            for phase in &scenario.resolved_phases {
                let at_y = phase.start_year - 1.0;
                if at_y < horizon_y {
                    schedule.push((at_y, quantity(&phase.scenario)));
                }
            }
            capital.add_asset(scenario, economics, draws, (asset, capex), &schedule);
        }
        capital
    }

    fn year_of(&self, t_y: f64) -> usize {
        (t_y.max(0.0) as usize).min(self.bought_usd.len() - 1)
    }

    /// Books asset `asset` whose quantity follows `schedule`: units bought
    /// when it rises, the newest retired (sold at book value) when it
    /// falls, renewed at the end of their life, and valued at book at the
    /// horizon.
    fn add_asset(
        &mut self,
        scenario: &Scenario,
        economics: &Economics,
        draws: &Draws,
        (asset, capex_of): (&str, CapexOf),
        schedule: &Schedule,
    ) {
        let horizon_y = scenario.scenario.years;
        let path = format!("economics.capex.{asset}.usd");
        let buy = |t_y: f64, quantity: f64| {
            let s = in_force_at(scenario, t_y);
            let e = s.economics.as_ref().unwrap_or(economics);
            let capex: &Capex = capex_of(&e.capex);
            // The calendar and the rate are the whole run's (a phase
            // replacing all of [economics] would bring its defaults).
            let year = economics.start_year + t_y.max(0.0) as i64;
            let price_usd = capex.usd.value(year, draws.uniform(&path));
            // A unit fetches at most what it cost, whatever the price drawn.
            let salvage_usd = capex.salvage_usd.min(price_usd);
            Vintage {
                bought_y: t_y,
                quantity,
                price_usd,
                life_y: capex.life_y,
                salvage_usd,
                annuity_usd: annuity_usd(
                    price_usd,
                    salvage_usd,
                    capex.life_y,
                    economics.discount_rate,
                ),
            }
        };
        let mut active: Vec<Vintage> = Vec::new();
        let mut ends = schedule
            .iter()
            .map(|&(t_y, _)| t_y)
            .skip(1)
            .collect::<Vec<_>>();
        ends.push(horizon_y);
        for (&(t_y, wanted), &next_y) in schedule.iter().zip(&ends) {
            let held: f64 = active.iter().map(|v| v.quantity).sum();
            if wanted > held {
                let vintage = buy(t_y, wanted - held);
                let year = self.year_of(t_y);
                self.bought_usd[year] += vintage.price_usd * vintage.quantity;
                active.push(vintage);
            } else {
                let mut surplus = held - wanted;
                while surplus > 0.0 {
                    let Some(newest) = active.last_mut() else {
                        break;
                    };
                    let sold = newest.quantity.min(surplus);
                    let year = self.year_of(t_y);
                    self.sold_usd[year] += sold * newest.book_value_usd(t_y);
                    let vintage = *newest;
                    self.book_service(&vintage, t_y, sold);
                    newest.quantity -= sold;
                    surplus -= sold;
                    if newest.quantity <= 0.0 {
                        active.pop();
                    }
                }
            }
            // Units reaching the end of their life before the next change
            // fetch their salvage value and are renewed.
            let mut index = 0;
            while index < active.len() {
                let vintage = active[index];
                let end_y = vintage.end_of_life_y();
                if end_y < next_y {
                    let year = self.year_of(end_y);
                    self.sold_usd[year] += vintage.salvage_usd * vintage.quantity;
                    self.book_service(&vintage, end_y, vintage.quantity);
                    let renewed = buy(end_y, vintage.quantity);
                    let year = self.year_of(end_y);
                    self.bought_usd[year] += renewed.price_usd * renewed.quantity;
                    active[index] = renewed;
                } else {
                    index += 1;
                }
            }
        }
        for vintage in &active {
            self.book_service(vintage, horizon_y, vintage.quantity);
            self.residual_usd += vintage.quantity * vintage.book_value_usd(horizon_y);
        }
    }

    /// Books the annuity of `quantity` units of `vintage` in service from
    /// their purchase to `to_y`, split by simulated year.
    fn book_service(&mut self, vintage: &Vintage, to_y: f64, quantity: f64) {
        let mut from_y = vintage.bought_y;
        while from_y < to_y {
            let year = self.year_of(from_y);
            let year_end = if year + 1 == self.annuity_usd.len() {
                to_y
            } else {
                (year as f64 + 1.0).min(to_y)
            };
            self.annuity_usd[year] += vintage.annuity_usd * quantity * (year_end - from_y);
            from_y = year_end;
        }
    }
}

/// Where an asset's capital cost is in `[economics.capex]`.
type CapexOf = fn(&CapexTable) -> &Capex;

/// Σ CF_t (1 + r)^−t over years t = 1..N, plus the residual value at N.
pub fn npv(flows: &[f64], residual_usd: f64, r: f64) -> f64 {
    npv_at(flows, residual_usd, r, flows.len() as f64)
}

/// [`npv`] of a horizon of `horizon_y` years: each year's flow at its end,
/// the last (part) year's and the residual value at the horizon.
pub fn npv_at(flows: &[f64], residual_usd: f64, r: f64, horizon_y: f64) -> f64 {
    let discounted: f64 = flows
        .iter()
        .enumerate()
        .map(|(t, cf)| cf * discount(r, (t as f64 + 1.0).min(horizon_y)))
        .sum();
    discounted + residual_usd * discount(r, horizon_y)
}

/// (1 + r)^−t, by whole powers when t is a whole number of years.
fn discount(r: f64, t_y: f64) -> f64 {
    if t_y.fract() == 0.0 {
        (1.0 + r).powi(-(t_y as i32))
    } else {
        (1.0 + r).powf(-t_y)
    }
}

/// The lowest rate in (−0.99, 10] at which [`npv`] is zero, by bisection
/// from a scan for the first change of sign; none without one, and none
/// when the yearly cash flows themselves never change sign (an operation
/// that never earns has no rate of return, though the residual value of
/// its units would give the NPV a root). Rates at which the NPV is not a
/// number (∞ − ∞: discount factors near −1 overflow over a long horizon)
/// are passed over.
pub fn irr(flows: &[f64], residual_usd: f64) -> Option<f64> {
    irr_at(flows, residual_usd, flows.len() as f64)
}

/// [`irr`] of a horizon of `horizon_y` years, discounted as [`npv_at`].
pub fn irr_at(flows: &[f64], residual_usd: f64, horizon_y: f64) -> Option<f64> {
    let earns = flows.iter().any(|&cf| cf > 0.0);
    let spends = flows.iter().any(|&cf| cf < 0.0);
    if !(earns && spends) {
        return None;
    }
    const LOW: f64 = -0.99;
    const HIGH: f64 = 10.0;
    const STEPS: usize = 2000;
    let f = |r: f64| npv_at(flows, residual_usd, r, horizon_y);
    let mut a = LOW;
    let mut fa = f(a);
    for step in 1..=STEPS {
        let b = LOW + (HIGH - LOW) * step as f64 / STEPS as f64;
        let fb = f(b);
        if fa.is_nan() || fb.is_nan() {
            a = b;
            fa = fb;
            continue;
        }
        if fa == 0.0 {
            return Some(a);
        }
        if fa.signum() != fb.signum() {
            let (mut lo, mut hi, mut flo) = (a, b, fa);
            for _ in 0..200 {
                let mid = (lo + hi) / 2.0;
                let fm = f(mid);
                if fm.signum() == flo.signum() {
                    lo = mid;
                    flo = fm;
                } else {
                    hi = mid;
                }
                if hi - lo < 1e-12 {
                    break;
                }
            }
            return Some((lo + hi) / 2.0);
        }
        a = b;
        fa = fb;
    }
    None
}

/// The index of the first year whose cumulative cash flow is ≥ 0.
pub fn breakeven(flows: &[f64]) -> Option<usize> {
    let mut cumulative = 0.0;
    flows.iter().position(|cf| {
        cumulative += cf;
        cumulative >= 0.0
    })
}
