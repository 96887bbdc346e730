//! What a scenario reports: rows of ours-against-peer measurements, the goal and whether it was
//! met, written as `results.json` and printed as one table.

use serde::Serialize;

/// How a row's numbers are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Better {
    /// A rate: more is better (`ratio` = ours ÷ peer).
    Higher,
    /// A cost: less is better (`ratio` = peer ÷ ours).
    Lower,
}

/// One measurement: ours, and the peer's where there is one.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Row {
    pub(crate) name: String,
    pub(crate) ours: f64,
    pub(crate) peer: Option<f64>,
    /// How many times better ours is than the peer (above 1: ours is faster).
    pub(crate) ratio: Option<f64>,
    pub(crate) unit: String,
    pub(crate) better: Better,
    /// What the peer is, in a few words.
    pub(crate) peer_is: Option<String>,
    pub(crate) requests: Requests,
    /// Peak resident memory (VmHWM) of the process that did the work, MiB.
    pub(crate) rss_mib: Option<Pair>,
    pub(crate) note: Option<String>,
}

/// A value for ours and one for the peer.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub(crate) struct Pair {
    pub(crate) ours: Option<f64>,
    pub(crate) peer: Option<f64>,
}

/// ECS requests counted from the emulator's request log.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub(crate) struct Requests {
    pub(crate) ours: Option<u64>,
    pub(crate) peer: Option<u64>,
}

impl Row {
    /// A row without a peer.
    pub(crate) fn ours(name: impl Into<String>, ours: f64, unit: &str, better: Better) -> Row {
        Row {
            name: name.into(),
            ours,
            peer: None,
            ratio: None,
            unit: unit.to_owned(),
            better,
            peer_is: None,
            requests: Requests::default(),
            rss_mib: None,
            note: None,
        }
    }

    /// A row with a peer; the ratio follows from `better`.
    pub(crate) fn versus(
        name: impl Into<String>,
        ours: f64,
        peer: f64,
        peer_is: &str,
        unit: &str,
        better: Better,
    ) -> Row {
        let ratio = match better {
            Better::Higher => ours / peer,
            Better::Lower => peer / ours,
        };
        Row {
            peer: Some(peer),
            ratio: ratio.is_finite().then_some(ratio),
            peer_is: Some(peer_is.to_owned()),
            ..Row::ours(name, ours, unit, better)
        }
    }

    pub(crate) fn requests(mut self, ours: Option<u64>, peer: Option<u64>) -> Row {
        self.requests = Requests { ours, peer };
        self
    }

    pub(crate) fn rss(mut self, ours: Option<f64>, peer: Option<f64>) -> Row {
        self.rss_mib = Some(Pair { ours, peer });
        self
    }

    pub(crate) fn note(mut self, note: impl Into<String>) -> Row {
        self.note = Some(note.into());
        self
    }
}

/// One of the nine scenarios.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Scenario {
    pub(crate) id: u32,
    pub(crate) title: String,
    /// The chart this scenario is drawn in.
    pub(crate) group: String,
    pub(crate) goal: String,
    /// `None` where the scenario has no pass mark (it informs).
    pub(crate) goal_met: Option<bool>,
    /// The row the goal is judged on, repeated at the top level.
    pub(crate) ours: f64,
    pub(crate) peer: Option<f64>,
    pub(crate) ratio: Option<f64>,
    pub(crate) unit: String,
    pub(crate) requests: Requests,
    /// The measured verdict in words, and where the goal is missed, why.
    pub(crate) finding: String,
    pub(crate) rows: Vec<Row>,
    pub(crate) elapsed_s: f64,
}

impl Scenario {
    /// A scenario judged on `rows[headline]`.
    pub(crate) fn new(
        id: u32,
        title: &str,
        group: &str,
        goal: &str,
        rows: Vec<Row>,
        headline: usize,
    ) -> Scenario {
        let head = rows[headline].clone();
        Scenario {
            id,
            title: title.to_owned(),
            group: group.to_owned(),
            goal: goal.to_owned(),
            goal_met: None,
            ours: head.ours,
            peer: head.peer,
            ratio: head.ratio,
            unit: head.unit,
            requests: head.requests,
            finding: String::new(),
            rows,
            elapsed_s: 0.0,
        }
    }

    pub(crate) fn judged(mut self, met: Option<bool>, finding: impl Into<String>) -> Scenario {
        self.goal_met = met;
        self.finding = finding.into();
        self
    }

    /// Prints the scenario as a block of the final table.
    pub(crate) fn print(&self) {
        let verdict = match self.goal_met {
            Some(true) => "goal met",
            Some(false) => "GOAL MISSED",
            None => "no pass mark",
        };
        println!(
            "\n[{}] {} ({:.0} s) goal: {} -> {verdict}",
            self.id, self.title, self.elapsed_s, self.goal
        );
        for row in &self.rows {
            let peer = row.peer.map_or_else(|| "-".to_owned(), fmt_num);
            let ratio = row
                .ratio
                .map_or_else(|| "-".to_owned(), |r| format!("{r:.2}x"));
            let requests = match (row.requests.ours, row.requests.peer) {
                (None, None) => String::new(),
                (ours, peer) => format!(
                    "  req {}/{}",
                    ours.map_or_else(|| "-".to_owned(), |n| n.to_string()),
                    peer.map_or_else(|| "-".to_owned(), |n| n.to_string())
                ),
            };
            let rss = row.rss_mib.map_or_else(String::new, |pair| {
                format!(
                    "  rss MiB {}/{}",
                    pair.ours
                        .map_or_else(|| "-".to_owned(), |v| format!("{v:.0}")),
                    pair.peer
                        .map_or_else(|| "-".to_owned(), |v| format!("{v:.0}"))
                )
            });
            println!(
                "    {:<62} {:>12} {:>12} {:<10} {:>8}{requests}{rss}",
                row.name,
                fmt_num(row.ours),
                peer,
                row.unit,
                ratio
            );
        }
        println!("    -> {}", self.finding);
    }
}

/// A number with sensible precision for a table.
pub(crate) fn fmt_num(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 100.0 {
        format!("{value:.0}")
    } else if magnitude >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// The whole results file.
#[derive(Debug, Serialize)]
pub(crate) struct Results {
    /// Seconds since the Unix epoch when the run ended.
    pub(crate) finished_unix: u64,
    pub(crate) quick: bool,
    pub(crate) total_s: f64,
    pub(crate) conditions: Conditions,
    pub(crate) ratio_is: &'static str,
    pub(crate) scenarios: Vec<Scenario>,
}

/// What the machine was doing.
#[derive(Debug, Serialize)]
pub(crate) struct Conditions {
    pub(crate) cores: usize,
    pub(crate) load_average_start: String,
    pub(crate) load_average_end: String,
    pub(crate) profile: &'static str,
}

/// The first three fields of `/proc/loadavg`.
pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}
