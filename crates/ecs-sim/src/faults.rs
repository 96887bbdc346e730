//! Deterministic fault injection: rules from [`crate::FaultRule`] and one seeded generator.

use std::sync::Mutex;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::control::{Api, FaultRule};

/// What a fault rule decided for one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Handle the request normally.
    Pass,
    /// Answer 500 (code 7000).
    Error500,
    /// Answer 503 (code 6000, retryable).
    Error503,
    /// Close the connection without answering.
    Drop,
    /// Handle the request, then close the connection without sending the answer.
    DropAnswer,
}

/// The rule set and the generator that draws outcomes.
#[derive(Debug)]
pub(crate) struct Faults {
    rules: Mutex<Vec<FaultRule>>,
    rng: Mutex<StdRng>,
}

impl Faults {
    /// No rules; outcomes drawn from a generator seeded with `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Faults {
            rules: Mutex::new(Vec::new()),
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
        }
    }

    pub(crate) fn add(&self, rule: FaultRule) {
        lock(&self.rules).push(rule);
    }

    pub(crate) fn clear(&self) {
        lock(&self.rules).clear();
    }

    pub(crate) fn rules(&self) -> Vec<FaultRule> {
        lock(&self.rules).clone()
    }

    /// Finds the first matching rule, consumes one use, and decides.
    pub(crate) fn decide(&self, api: Api, method: &str, path: &str) -> (Option<Duration>, Outcome) {
        let mut rules = lock(&self.rules);
        let Some(index) = rules
            .iter()
            .position(|rule| matches(rule, api, method, path))
        else {
            return (None, Outcome::Pass);
        };
        let rule = rules[index].clone();
        if let Some(times) = rules[index].times.as_mut() {
            *times = times.saturating_sub(1);
            if *times == 0 {
                rules.remove(index);
            }
        }
        drop(rules);
        let (roll, spike_roll): (f64, f64) = {
            let mut rng = lock(&self.rng);
            (rng.random(), rng.random())
        };
        let latency = match rule.spike {
            Some(spike) if spike_roll < rule.spike_chance => {
                Some(rule.latency.unwrap_or_default() + spike)
            }
            _ => rule.latency,
        };
        let outcome = if roll < rule.drop_connection {
            Outcome::Drop
        } else if roll < rule.drop_connection + rule.drop_answer {
            Outcome::DropAnswer
        } else if roll < rule.drop_connection + rule.drop_answer + rule.error_503 {
            Outcome::Error503
        } else if roll < rule.drop_connection + rule.drop_answer + rule.error_503 + rule.error_500 {
            Outcome::Error500
        } else {
            Outcome::Pass
        };
        (latency, outcome)
    }
}

fn matches(rule: &FaultRule, api: Api, method: &str, path: &str) -> bool {
    rule.api == api
        && rule.times != Some(0)
        && rule
            .method
            .as_deref()
            .is_none_or(|wanted| wanted.eq_ignore_ascii_case(method))
        && path.starts_with(&rule.path_prefix)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(prob: f64, times: Option<u32>) -> FaultRule {
        FaultRule {
            error_503: prob,
            times,
            ..FaultRule::new(Api::Mgmt, "/object")
        }
    }

    #[test]
    fn certain_rules_fire_and_wear_out() {
        let faults = Faults::new(1);
        faults.add(rule(1.0, Some(2)));
        assert_eq!(
            faults.decide(Api::Mgmt, "GET", "/object/bucket").1,
            Outcome::Error503
        );
        assert_eq!(
            faults.decide(Api::S3, "GET", "/object/bucket").1,
            Outcome::Pass
        );
        assert_eq!(faults.decide(Api::Mgmt, "GET", "/login").1, Outcome::Pass);
        assert_eq!(
            faults.decide(Api::Mgmt, "GET", "/object/x").1,
            Outcome::Error503
        );
        assert_eq!(
            faults.decide(Api::Mgmt, "GET", "/object/x").1,
            Outcome::Pass
        );
        assert!(faults.rules().is_empty());
    }

    #[test]
    fn lost_answers_and_spikes_are_drawn_too() {
        let faults = Faults::new(7);
        faults.add(FaultRule {
            drop_answer: 0.5,
            spike_chance: 0.5,
            spike: Some(Duration::from_millis(40)),
            latency: Some(Duration::from_millis(1)),
            ..FaultRule::new(Api::Mgmt, "/")
        });
        let draws: Vec<_> = (0..64)
            .map(|_| faults.decide(Api::Mgmt, "GET", "/"))
            .collect();
        assert!(
            draws
                .iter()
                .any(|(_, outcome)| *outcome == Outcome::DropAnswer)
        );
        assert!(draws.iter().any(|(_, outcome)| *outcome == Outcome::Pass));
        assert!(draws.contains(&(Some(Duration::from_millis(41)), Outcome::Pass)));
        assert!(
            draws
                .iter()
                .any(|(latency, _)| *latency == Some(Duration::from_millis(1)))
        );
    }

    #[test]
    fn same_seed_same_outcomes() {
        let draw = |seed| {
            let faults = Faults::new(seed);
            faults.add(FaultRule {
                error_500: 0.5,
                ..FaultRule::new(Api::Mgmt, "/")
            });
            (0..64)
                .map(|_| faults.decide(Api::Mgmt, "GET", "/").1)
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(42), draw(42));
        assert!(draw(42).contains(&Outcome::Error500));
        assert!(draw(42).contains(&Outcome::Pass));
    }
}
