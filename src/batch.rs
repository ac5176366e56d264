//! Batches: which inputs one call works on (folders, files, a manifest, one shard of
//! them), output names that cannot collide, and the parallel runner that streams each
//! finished result, in input order, to the caller and then drops it.
//!
//! Past one machine, an existing engine (GNU parallel, a Kubernetes Indexed Job, a CI
//! matrix) runs one process per shard; `--shard I/N` picks that process's share by a
//! stable hash of each input's path, so every process, on any host, agrees on the split
//! without talking to the others (see `docs/scale.md`).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use crate::diag::Lang;

/// One machine's share of a batch: shard `index` of `count` (numbered from 0, as a
/// Kubernetes Indexed Job numbers its pods).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, `0 ≤ index < count`.
    pub index: u64,
    /// How many shards the batch is split into.
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `I/N`, e.g. `0/4` … `3/4`.
    fn from_str(s: &str) -> Result<Shard, String> {
        let usage = || {
            format!("“{s}”: 应为 I/N，例如 0/4（共 4 份中的第 0 份，编号从 0 起） / expected I/N, e.g. 0/4 (shard 0 of 4, numbered from 0)")
        };
        let (i, n) = s.split_once('/').ok_or_else(usage)?;
        let (index, count): (u64, u64) = (i.trim().parse().map_err(|_| usage())?, n.trim().parse().map_err(|_| usage())?);
        if count == 0 {
            return Err(format!("“{s}”: 份数不能为 0 / the number of shards cannot be 0"));
        }
        if index >= count {
            return Err(format!(
                "“{s}”: 份号应在 0 到 {} 之间（编号从 0 起） / shards are numbered 0 to {} (from 0)",
                count - 1,
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether `path` belongs to this shard: FNV-1a (64-bit) of [`path_key`], modulo
    /// the number of shards. The hash is spelled out here, not taken from the standard
    /// library (whose hasher may change between Rust versions), so that every host and
    /// every build of reportgen splits the same list the same way.
    pub fn contains(&self, path: &Path) -> bool {
        fnv1a64(path_key(path).as_bytes()) % self.count == self.index
    }
}

/// 64-bit FNV-1a: small, fixed forever, good enough to spread file names evenly.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The path as given, normalized without touching the file system: `.` components and
/// repeated or trailing separators dropped, `\` read as `/`. Not canonicalized: the
/// same manifest is read on hosts that mount the shared storage at different places
/// (or through different symlinks), and the split must not depend on that; `a.yaml`
/// and `./a.yaml` are the same key, `/mnt/x/a.yaml` and `x/a.yaml` are not.
pub fn path_key(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut parts = Vec::new();
    for c in Path::new(&text).components() {
        match c {
            Component::CurDir => {}
            Component::RootDir => parts.push(String::new()),
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().to_string()),
            Component::ParentDir => parts.push("..".into()),
            Component::Normal(n) => parts.push(n.to_string_lossy().to_string()),
        }
    }
    match parts.as_slice() {
        [root] if root.is_empty() => "/".into(),
        _ => parts.join("/"),
    }
}

/// Reads a manifest: one path per line (`-` reads standard input). Blank lines are
/// skipped, a trailing `\r` (a list saved on Windows) is dropped, and relative paths
/// are relative to the current folder, as for paths on the command line.
pub fn read_manifest(list: &Path) -> Result<Vec<PathBuf>, String> {
    let text = if list == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).map_err(|e| format!("--files-from -: {e}"))?
    } else {
        std::fs::read_to_string(list).map_err(|e| format!("--files-from {}: {e}", list.display()))?
    };
    Ok(text.lines().map(|l| l.strip_suffix('\r').unwrap_or(l)).filter(|l| !l.trim().is_empty()).map(PathBuf::from).collect())
}

/// How outputs are named under the output folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// `OUT/<stem>.<ext>`: the data file's name only.
    #[default]
    Flat,
    /// `OUT/<folders of the path as given>/<stem>.<ext>`: inputs with the same name in
    /// different folders keep apart (absolute paths lose their leading `/`).
    Tree,
}

impl Layout {
    /// An input's output name, without extension, relative to the output folder.
    /// `None` when a tree layout cannot place it (a path that climbs with `..`).
    pub fn base(self, input: &Path) -> Option<PathBuf> {
        let stem = input.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "report".into());
        match self {
            Layout::Flat => Some(PathBuf::from(stem)),
            Layout::Tree => {
                let mut out = PathBuf::new();
                for c in input.parent().unwrap_or(Path::new("")).components() {
                    match c {
                        Component::Normal(n) => out.push(n),
                        Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
                        Component::ParentDir => return None,
                    }
                }
                out.push(stem);
                Some(out)
            }
        }
    }
}

/// Two (or more) inputs that would write the same outputs, or one a layout cannot place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    /// The output name they share (relative to the output folder).
    pub output: PathBuf,
    /// The inputs, as given.
    pub inputs: Vec<PathBuf>,
}

impl Collision {
    /// A message for a clerk: which inputs, which output, what to do.
    pub fn message(&self, lang: Lang) -> String {
        let inputs: Vec<String> = self.inputs.iter().map(|p| p.display().to_string()).collect();
        if self.inputs.len() == 1 {
            return match lang {
                Lang::Zh => format!("{}：路径含“..”，--layout tree 无法在输出目录中安放它；请改用不含“..”的路径", inputs[0]),
                Lang::En => format!("{}: the path climbs with “..”, so --layout tree cannot place it; give a path without “..”", inputs[0]),
            };
        }
        match lang {
            Lang::Zh => format!(
                "{} 会写入同一组输出文件 {}.*，后写的会覆盖先写的（分片运行在不同机器上也一样）。请改名，或用 --layout tree 按目录分开存放输出",
                inputs.join("、"),
                self.output.display()
            ),
            Lang::En => format!(
                "{} would write the same outputs {}.* (one would overwrite the other, also when shards run on different machines); rename one, or use --layout tree to keep the folders apart",
                inputs.join(", "),
                self.output.display()
            ),
        }
    }
}

/// Checks that no two of `inputs` get the same output name under `layout`. Run it on
/// the whole list *before* taking a shard: every shard sees the same list, so a
/// collision between inputs that different shards (on different hosts) would build is
/// found by each of them, before anything is written. Names are compared without case,
/// because shared storage (SMB, some NAS) often ignores it.
pub fn collisions(inputs: &[PathBuf], layout: Layout) -> Vec<Collision> {
    let mut by_name: BTreeMap<String, (PathBuf, Vec<PathBuf>)> = BTreeMap::new();
    let mut out = Vec::new();
    for input in inputs {
        match layout.base(input) {
            Some(base) => {
                let key = base.to_string_lossy().to_lowercase();
                let entry = by_name.entry(key).or_insert_with(|| (base, Vec::new()));
                if !entry.1.iter().any(|p| path_key(p) == path_key(input)) {
                    entry.1.push(input.clone());
                }
            }
            None => out.push(Collision { output: PathBuf::new(), inputs: vec![input.clone()] }),
        }
    }
    out.extend(by_name.into_values().filter(|(_, v)| v.len() > 1).map(|(output, inputs)| Collision { output, inputs }));
    out
}

/// Drops repeated inputs (the same path, as [`path_key`] sees it), keeping the first.
pub fn dedup(inputs: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    inputs.into_iter().filter(|p| seen.insert(path_key(p))).collect()
}

/// The number of parallel jobs when none is asked for: the cores this process may use.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs `job` over `items` on `jobs` threads (each with a large stack: typesetting
/// recurses deeply) and hands each result to `sink` on the calling thread, in input
/// order, as soon as it and all before it are done; nothing is kept after `sink`
/// returns, so memory does not grow with the batch. At most a window of results ahead
/// of the oldest unfinished item is held, so one slow item cannot make the others pile
/// up. Plain scoped threads pulling from a shared counter: measured against rayon's
/// pool here, a batch of 200 reports used a tenth of the memory.
pub fn run_ordered<T: Sync, R: Send>(items: &[T], jobs: usize, job: impl Fn(&T) -> R + Sync, mut sink: impl FnMut(usize, R)) {
    let jobs = jobs.clamp(1, items.len().max(1));
    if items.len() <= 1 {
        for (i, item) in items.iter().enumerate() {
            sink(i, job(item));
        }
        return;
    }
    let window = 4 * jobs + 16;
    let next = AtomicUsize::new(0);
    // The index of the oldest result not yet handed to the sink.
    let emitted = Mutex::new(0usize);
    let moved = Condvar::new();
    let (tx, rx) = std::sync::mpsc::channel::<(usize, R)>();
    std::thread::scope(|s| {
        let mut started = 0;
        for _ in 0..jobs {
            let tx = tx.clone();
            let (next, emitted, moved, job) = (&next, &emitted, &moved, &job);
            let spawned = std::thread::Builder::new().stack_size(32 << 20).spawn_scoped(s, move || {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= items.len() {
                        break;
                    }
                    if let Ok(mut e) = emitted.lock() {
                        while i >= *e + window {
                            e = match moved.wait(e) {
                                Ok(e) => e,
                                Err(_) => return,
                            };
                        }
                    }
                    if tx.send((i, job(&items[i]))).is_err() {
                        break;
                    }
                }
            });
            started += usize::from(spawned.is_ok());
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut want = 0;
        if started > 0 {
            for (i, r) in rx {
                pending.insert(i, r);
                while let Some(r) = pending.remove(&want) {
                    sink(want, r);
                    want += 1;
                }
                if let Ok(mut e) = emitted.lock() {
                    *e = want;
                }
                moved.notify_all();
            }
        }
        // No thread could be started: do the work here.
        for i in want..items.len() {
            match pending.remove(&i) {
                Some(r) => sink(i, r),
                None => sink(i, job(&items[i])),
            }
        }
    });
}
