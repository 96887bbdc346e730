//! Runs demo steps one by one: prints each step's story, its ECS requests and its duration,
//! stops at the first failure naming the step, and prints a summary at the end.

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use serde_json::json;

use super::counter::{Counter, Requests};

/// What a step reports when it worked: its value and the lines that tell what happened.
#[derive(Debug)]
pub(crate) struct Told<T> {
    pub(crate) value: T,
    pub(crate) lines: Vec<String>,
}

impl<T> Told<T> {
    pub(crate) fn new(value: T, lines: Vec<String>) -> Self {
        Told { value, lines }
    }
}

/// One finished step.
#[derive(Debug)]
struct Done {
    name: String,
    requests: Option<Requests>,
    elapsed: Duration,
}

/// The step runner.
#[derive(Debug)]
pub(crate) struct Runner {
    counter: Option<Counter>,
    total: usize,
    done: Vec<Done>,
    quiet: bool,
    started: Instant,
}

/// How many request lines a step prints before abbreviating.
const SHOWN_REQUESTS: usize = 6;

impl Runner {
    /// A runner for `total` steps; `quiet` suppresses the running commentary (for `--json`).
    pub(crate) fn new(counter: Option<Counter>, total: usize, quiet: bool) -> Self {
        Runner {
            counter,
            total,
            done: Vec::new(),
            quiet,
            started: Instant::now(),
        }
    }

    /// Whether requests are counted (the emulator's log is available).
    pub(crate) fn counts_requests(&self) -> bool {
        self.counter.is_some()
    }

    fn say(&self, line: &str) {
        if !self.quiet {
            println!("{line}");
        }
    }

    /// Runs one step; on failure, returns an error that names the step.
    pub(crate) async fn step<T>(
        &mut self,
        name: &str,
        work: impl Future<Output = Result<Told<T>>>,
    ) -> Result<T> {
        let number = self.done.len() + 1;
        self.say(&format!("[{number:>2}/{}] {name}", self.total));
        if let Some(counter) = &self.counter {
            counter.reset().await?;
        }
        let started = Instant::now();
        let outcome = work.await;
        let elapsed = started.elapsed();
        let requests = match &self.counter {
            Some(counter) => Some(counter.take().await?),
            None => None,
        };
        match outcome {
            Ok(told) => {
                for line in &told.lines {
                    self.say(&format!("        {line}"));
                }
                self.print_requests(requests.as_ref());
                let counted = requests
                    .as_ref()
                    .map_or_else(|| "requests not counted".to_owned(), ToString::to_string);
                self.say(&format!("        ok: {counted}, {}", millis(elapsed)));
                self.done.push(Done {
                    name: name.to_owned(),
                    requests,
                    elapsed,
                });
                Ok(told.value)
            }
            Err(err) => {
                self.say(&format!(
                    "        FAILED after {}: {err:#}",
                    millis(elapsed)
                ));
                Err(anyhow!("demo failed at step {number} ({name}): {err:#}"))
            }
        }
    }

    fn print_requests(&self, requests: Option<&Requests>) {
        let Some(requests) = requests else { return };
        for record in requests.records.iter().take(SHOWN_REQUESTS) {
            self.say(&format!(
                "          {:<4} {:<5} {} -> {}",
                record.api, record.method, record.path, record.status
            ));
        }
        if requests.total() > SHOWN_REQUESTS {
            self.say(&format!(
                "          ... and {} more",
                requests.total() - SHOWN_REQUESTS
            ));
        }
    }

    /// Prints the summary table and returns it as JSON.
    pub(crate) fn summary(&self, path: &str) -> serde_json::Value {
        let total_requests: usize = self
            .done
            .iter()
            .filter_map(|done| done.requests.as_ref())
            .map(Requests::total)
            .sum();
        self.say("");
        self.say(&format!("summary ({path}):"));
        for (index, done) in self.done.iter().enumerate() {
            let requests = done
                .requests
                .as_ref()
                .map_or_else(|| "-".to_owned(), |r| r.total().to_string());
            self.say(&format!(
                "  {:>2}. {:<52} {:>4} requests {:>8}",
                index + 1,
                done.name,
                requests,
                millis(done.elapsed)
            ));
        }
        self.say(&format!(
            "  {} steps passed, {total_requests} ECS requests, {} in total",
            self.done.len(),
            millis(self.started.elapsed())
        ));
        let steps: Vec<_> = self
            .done
            .iter()
            .map(|done| {
                json!({
                    "name": done.name,
                    "requests": done.requests.as_ref().map(Requests::total),
                    "mgmt_requests": done.requests.as_ref().map(Requests::mgmt),
                    "s3_requests": done.requests.as_ref().map(Requests::s3),
                    "millis": u64::try_from(done.elapsed.as_millis()).unwrap_or(u64::MAX),
                })
            })
            .collect();
        json!({ "ok": true, "path": path, "steps": steps, "requests": total_requests })
    }
}

fn millis(elapsed: Duration) -> String {
    format!("{} ms", elapsed.as_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_failed_step_is_named_and_stops_the_count() {
        let mut runner = Runner::new(None, 2, true);
        let value = runner
            .step("first", async { Ok(Told::new(7, vec!["did it".into()])) })
            .await
            .unwrap();
        assert_eq!(value, 7);
        let err = runner
            .step("second", async {
                Err::<Told<()>, _>(anyhow!("ECS said no"))
            })
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "demo failed at step 2 (second): ECS said no"
        );
        let summary = runner.summary("test");
        assert_eq!(
            summary["steps"].as_array().unwrap().len(),
            1,
            "only passed steps are summed up"
        );
        assert_eq!(
            summary["steps"][0]["requests"],
            serde_json::Value::Null,
            "not counted without the emulator"
        );
    }
}
