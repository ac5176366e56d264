//! Options shared by the batch commands (`build`, `audit`): parallel jobs, a manifest,
//! a shard, the output layout; and the progress bar (count, rate, ETA).

use std::io::IsTerminal;
use std::path::PathBuf;

use reportgen::Lang;
use reportgen::batch::{self, Layout, Shard};

/// Batch options.
#[derive(Debug, Clone, clap::Args)]
pub struct BatchArgs {
    /// Parallel jobs (default: the number of cores).
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Also read input paths from LIST, one per line (`-`: standard input).
    #[arg(long, value_name = "LIST")]
    pub files_from: Option<PathBuf>,
    /// Work on shard I of N only (I from 0 to N-1), split by a stable hash of each path
    /// as given: run N processes (on any hosts) with the same inputs to cover them all.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
}

impl BatchArgs {
    /// The number of parallel jobs.
    pub fn jobs(&self) -> usize {
        self.jobs.map_or_else(batch::default_jobs, usize::from)
    }

    /// The whole input list: the paths given, then the manifest's, each through `expand`
    /// (folders → their files), each path once.
    pub fn all_inputs(
        &self,
        given: &[PathBuf],
        expand: impl Fn(&[PathBuf]) -> Result<Vec<PathBuf>, String>,
    ) -> Result<Vec<PathBuf>, String> {
        let mut all = expand(given)?;
        if let Some(list) = &self.files_from {
            all.extend(expand(&batch::read_manifest(list)?)?);
        }
        if all.is_empty() {
            return Err("no input files (give paths, or --files-from LIST)".into());
        }
        Ok(batch::dedup(all))
    }

    /// This process's share of `all` (everything without `--shard`).
    pub fn share(&self, all: Vec<PathBuf>) -> Vec<PathBuf> {
        match self.shard {
            Some(s) => all.into_iter().filter(|p| s.contains(p)).collect(),
            None => all,
        }
    }
}

/// Refuses inputs that would write the same outputs (checked on the whole list, before
/// sharding, so shards on different hosts cannot collide either).
pub fn check_collisions(all: &[PathBuf], layout: Layout, lang: Lang) -> Result<(), String> {
    let found = batch::collisions(all, layout);
    if found.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = found.iter().take(10).map(|c| c.message(lang)).collect();
    let more = match (found.len() > 10, lang) {
        (true, Lang::Zh) => format!("\n……共 {} 处", found.len()),
        (true, Lang::En) => format!("\n… {} in all", found.len()),
        (false, _) => String::new(),
    };
    Err(shown.join("\n") + &more)
}

/// A progress bar on a terminal for batches of more than four: count, rate, ETA.
pub fn progress(n: usize) -> Option<indicatif::ProgressBar> {
    (std::io::stderr().is_terminal() && n > 4).then(|| {
        let b = indicatif::ProgressBar::new(n as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len}  {per_sec}  ETA {eta}  {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    })
}

/// Prints `text` to standard error without tearing the progress bar.
pub fn eprint_above(bar: Option<&indicatif::ProgressBar>, text: &str) {
    if text.is_empty() {
        return;
    }
    match bar {
        Some(b) => b.suspend(|| eprint!("{text}")),
        None => eprint!("{text}"),
    }
}
