//! The vessel timeline of one replication: every change of a unit's booked
//! state, with the time, the unit, the states left and entered, and the
//! kind of event that caused it. Recorded only when asked for: without a
//! [`Recorder`] an event and a state change cost one branch each, and
//! nothing is allocated.
//!
//! The recorder is shared by the unit lists of one replication, so rows
//! come out in the order the changes happen. The model sets the cause of
//! the event it is about to handle ([`Cause::of`]) before dispatching it,
//! so the parts of the model that change states need not know the trace.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use super::{Event, PlannedWork, SystemEvent};

/// The pseudo-state a unit leaves when it enters service.
pub const NEW: &str = "new";
/// The pseudo-state a unit enters when it leaves service.
pub const RETIRED: &str = "retired";
/// The pseudo-state every unit still in service enters at the horizon.
pub const HORIZON: &str = "horizon";

/// What made a unit change state: the kind of event being handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// The first events of the replication, scheduled before any fires.
    Start,
    /// Hs crossed an operating limit.
    SeaState,
    /// A typhoon warning was issued.
    TyphoonWarning,
    /// The latest safe start of a typhoon retrieval came.
    TyphoonRetrieval,
    /// The typhoon alert ended.
    AlertEnd,
    /// A unit's timed activity ended (a voyage, a trip, a repair, a
    /// transfer, a lifting decision).
    Timed,
    /// A mining system's time on site was up.
    CampaignEnd,
    /// Planned work fell due.
    Due(PlannedWork),
    /// A scale-up phase began.
    Phase,
    /// The horizon: the end of the record.
    Horizon,
}

impl Cause {
    /// The cause of the state changes `event` brings about.
    pub fn of(event: &Event) -> Cause {
        match *event {
            Event::SeaState { .. } => Cause::SeaState,
            Event::TyphoonWarning => Cause::TyphoonWarning,
            Event::TyphoonRetrieval => Cause::TyphoonRetrieval,
            Event::AlertEnd(_) => Cause::AlertEnd,
            Event::System { event, .. } => match event {
                SystemEvent::Timed(_) => Cause::Timed,
                SystemEvent::CampaignEnd(_) => Cause::CampaignEnd,
                SystemEvent::Due { work, .. } => Cause::Due(work),
            },
            Event::Shuttle { .. } | Event::HubShip { .. } => Cause::Timed,
            Event::PhaseStart(_) => Cause::Phase,
        }
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::Start => f.write_str("start"),
            Cause::SeaState => f.write_str("sea_state"),
            Cause::TyphoonWarning => f.write_str("typhoon_warning"),
            Cause::TyphoonRetrieval => f.write_str("typhoon_retrieval"),
            Cause::AlertEnd => f.write_str("alert_end"),
            Cause::Timed => f.write_str("timed"),
            Cause::CampaignEnd => f.write_str("campaign_end"),
            Cause::Due(work) => write!(f, "due:{}", work.state().name()),
            Cause::Phase => f.write_str("phase"),
            Cause::Horizon => f.write_str("horizon"),
        }
    }
}

/// One change of a unit's state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TraceRow {
    pub time_h: f64,
    /// The kind of unit (`system`, `shuttle`, `hub ship`).
    pub kind: &'static str,
    /// The unit's number within its kind, from 1.
    pub number: usize,
    /// The state left ([`NEW`] when the unit enters service).
    pub from: &'static str,
    /// The state entered ([`RETIRED`] or [`HORIZON`] at the end of its record).
    pub to: &'static str,
    pub cause: Cause,
}

impl TraceRow {
    /// The unit's name: `system 1`, `shuttle 3`, `hub ship 1`.
    pub fn unit(&self) -> String {
        format!("{} {}", self.kind, self.number)
    }
}

/// The timeline of one replication, in the order the changes happened.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    /// The replication, from 1.
    pub replication: u64,
    pub rows: Vec<TraceRow>,
}

struct Log {
    replication: u64,
    cause: Cause,
    rows: Vec<TraceRow>,
}

/// Records the trace of one replication; cloned into every unit list.
#[derive(Clone)]
pub(super) struct Recorder(Rc<RefCell<Log>>);

impl Recorder {
    /// Records replication `replication` (from 0).
    pub fn new(replication: u64) -> Self {
        Recorder(Rc::new(RefCell::new(Log {
            replication: replication + 1,
            cause: Cause::Start,
            rows: Vec::new(),
        })))
    }

    /// The cause of the changes recorded from now on.
    pub fn set_cause(&self, cause: Cause) {
        self.0.borrow_mut().cause = cause;
    }

    /// Records that unit `unit` (from 0) of `kind` went from `from` to `to`
    /// at `time_h`.
    pub fn record(
        &self,
        time_h: f64,
        kind: &'static str,
        unit: usize,
        from: &'static str,
        to: &'static str,
    ) {
        let mut log = self.0.borrow_mut();
        let cause = log.cause;
        log.rows.push(TraceRow {
            time_h,
            kind,
            number: unit + 1,
            from,
            to,
            cause,
        });
    }

    /// The rows recorded so far, leaving the recorder empty.
    pub fn take(&self) -> Trace {
        let mut log = self.0.borrow_mut();
        Trace {
            replication: log.replication,
            rows: std::mem::take(&mut log.rows),
        }
    }
}
