//! Batches at scale: a batch's outputs are the bytes of single builds, shards split a set
//! exactly, manifests, output collisions, `--jobs`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use reportgen::batch::{Layout, Shard, collisions, path_key};

fn text(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

/// `n` distinct reports (the two examples, agencies numbered) in `dir`, plus, when
/// `twin`, an exact copy of the first under another name.
fn reports(dir: &Path, n: usize, twin: bool) -> Vec<PathBuf> {
    let s = std::fs::read_to_string(crate::root().join("examples/suizhong-2023.yaml")).unwrap();
    let d = std::fs::read_to_string(crate::root().join("examples/shiyi-scjg-2024.yaml")).unwrap();
    let mut out = Vec::new();
    for i in 0..n {
        let (name, body) = if i % 2 == 0 {
            (format!("s{i:02}.yaml"), s.replace("  agency: 绥中县人民政府\n", &format!("  agency: 绥中县人民政府{i}\n")))
        } else {
            (format!("d{i:02}.yaml"), d.replace("  agency: 示例市市场监督管理局\n", &format!("  agency: 示例市市场监督管理局{i}\n")))
        };
        assert_ne!(&body, if i % 2 == 0 { &s } else { &d }, "the agency line was renamed");
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        out.push(p);
    }
    if twin {
        let p = dir.join("twin.yaml");
        std::fs::copy(&out[0], &p).unwrap();
        out.push(p);
    }
    out
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect()
}

#[test]
fn a_batch_writes_the_same_bytes_as_single_builds() {
    let src = tempfile::tempdir().unwrap();
    let inputs = reports(src.path(), 5, true);
    let batch = tempfile::tempdir().unwrap();
    let out = crate::bin().arg("build").arg(src.path()).args(["-j", "2", "-o"]).arg(batch.path()).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let single = tempfile::tempdir().unwrap();
    for f in &inputs {
        let out = crate::bin().arg("build").arg(f).arg("-o").arg(single.path()).output().unwrap();
        assert!(out.status.success(), "{}", text(&out));
    }
    let names = files_in(batch.path());
    // The default formats: HTML, Markdown, PDF and DOCX.
    assert_eq!(names.len(), inputs.len() * 4, "{names:?}");
    assert_eq!(names, files_in(single.path()));
    for n in &names {
        let (a, b) = (std::fs::read(batch.path().join(n)).unwrap(), std::fs::read(single.path().join(n)).unwrap());
        assert!(a == b, "{n}: the batch's bytes differ from a single build's");
    }
    // The twin is the same data under another name: the same PDF, from a warm cache.
    let (a, b) = (std::fs::read(batch.path().join("s00.pdf")).unwrap(), std::fs::read(batch.path().join("twin.pdf")).unwrap());
    assert!(a == b && a.len() > 10_000);
}

#[test]
fn shards_cover_the_set_and_share_nothing() {
    let src = tempfile::tempdir().unwrap();
    let inputs = reports(src.path(), 16, false);
    let n = 3;
    let mut union = BTreeSet::new();
    let mut total = 0;
    for i in 0..n {
        let o = tempfile::tempdir().unwrap();
        let out = crate::bin()
            .arg("build")
            .arg(src.path())
            .args(["-f", "md", "--shard", &format!("{i}/{n}"), "-o"])
            .arg(o.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        let got = files_in(o.path());
        assert!(!got.is_empty(), "shard {i} of {n} got nothing: {}", text(&out));
        total += got.len();
        union.extend(got);
    }
    assert_eq!(total, union.len(), "two shards built the same report");
    let want: BTreeSet<String> = inputs.iter().map(|p| format!("{}.md", p.file_stem().unwrap().to_string_lossy())).collect();
    assert_eq!(union, want, "the union of the shards is the whole set");
    // The split is by the path as given, normalized: `./x` and `x` agree.
    let s = Shard { index: 1, count: 7 };
    for p in &inputs {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        assert_eq!(s.contains(Path::new(&name)), s.contains(&Path::new(".").join(&name)));
        assert_eq!(path_key(&Path::new("a//b/./").join(&name)), format!("a/b/{name}"));
    }
}

#[test]
fn a_bad_shard_is_a_usage_error_with_the_range() {
    let out = crate::bin().args(["build", "examples/", "--shard", "3/3"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("0 到 2"), "{}", text(&out));
    for bad in ["1", "a/b", "0/0"] {
        let out = crate::bin().args(["build", "examples/", "--shard", bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", text(&out));
    }
    let out = crate::bin().args(["build", "examples/", "--jobs", "0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_manifest_from_a_file_or_stdin() {
    let src = tempfile::tempdir().unwrap();
    let inputs = reports(src.path(), 3, false);
    let list = src.path().join("list.txt");
    let body: String = inputs[..2].iter().map(|p| format!("{}\r\n\n", p.display())).collect();
    std::fs::write(&list, body).unwrap();
    let o = tempfile::tempdir().unwrap();
    let out = crate::bin().args(["build", "-f", "md", "--files-from"]).arg(&list).arg("-o").arg(o.path()).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(files_in(o.path()), BTreeSet::from(["s00.md".to_string(), "d01.md".to_string()]));
    // From standard input, with a path also on the command line (given twice: built once).
    let o = tempfile::tempdir().unwrap();
    let out = crate::bin()
        .arg("build")
        .arg(&inputs[2])
        .args(["-f", "md", "--files-from", "-", "-o"])
        .arg(o.path())
        .write_stdin(format!("{}\n{}\n", inputs[0].display(), inputs[2].display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(files_in(o.path()), BTreeSet::from(["s00.md".to_string(), "s02.md".to_string()]));
    assert!(text(&out).contains("构建 2 份报告"), "{}", text(&out));
    let out = crate::bin().args(["build", "--files-from", "no/such/list.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("no/such/list.txt"), "{}", text(&out));
}

#[test]
fn same_names_in_different_folders_are_refused_even_across_shards() {
    let src = tempfile::tempdir().unwrap();
    for d in ["hebei", "shanxi"] {
        std::fs::create_dir(src.path().join(d)).unwrap();
        std::fs::copy(crate::root().join("examples/suizhong-2023.yaml"), src.path().join(d).join("report.yaml")).unwrap();
    }
    let o = tempfile::tempdir().unwrap();
    // Each shard alone holds one of the two (or both): every shard refuses, before writing.
    for shard in ["0/2", "1/2"] {
        let out = crate::bin()
            .current_dir(src.path())
            .args(["build", "hebei/report.yaml", "shanxi/report.yaml", "-f", "md", "--shard", shard, "-o"])
            .arg(o.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        let t = text(&out);
        assert!(t.contains("hebei/report.yaml") && t.contains("shanxi/report.yaml") && t.contains("--layout tree"), "{t}");
    }
    assert!(files_in(o.path()).is_empty(), "nothing written");
    let out = crate::bin()
        .current_dir(src.path())
        .args(["build", "hebei/", "./shanxi/report.yaml", "-f", "md,typst", "--layout", "tree", "-o"])
        .arg(o.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(files_in(o.path()), BTreeSet::from(["hebei".to_string(), "shanxi".to_string()]));
    for d in ["hebei", "shanxi"] {
        assert_eq!(files_in(&o.path().join(d)), BTreeSet::from(["report.md".to_string(), "report-typst".to_string()]));
    }
    // The library's view: names differing only in case collide (shared storage may
    // ignore case); the same path twice does not; `..` cannot be placed in a tree.
    let c = collisions(&["a/R.yaml".into(), "b/r.yml".into(), "a/./R.yaml".into()], Layout::Flat);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].inputs, vec![PathBuf::from("a/R.yaml"), PathBuf::from("b/r.yml")]);
    assert!(collisions(&["a/R.yaml".into(), "b/r.yml".into()], Layout::Tree).is_empty());
    assert_eq!(collisions(&["../x.yaml".into()], Layout::Tree).len(), 1);
}

#[test]
fn audit_takes_jobs_shards_and_a_manifest_in_input_order() {
    let files: Vec<PathBuf> = ["changchun-tyjrswj-2023.txt", "district-tjj-2023.txt", "hongze-2024.txt"]
        .iter()
        .map(|f| PathBuf::from("tests/fixtures/corpus").join(f))
        .collect();
    let list: String = files.iter().map(|p| format!("{}\n", p.display())).collect();
    let run = |extra: &[&str]| {
        let out =
            crate::bin().args(["audit", "--format", "json", "--files-from", "-"]).args(extra).write_stdin(list.clone()).output().unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 1), "{}", text(&out));
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v.get("imported").is_some().then(|| v["file"].as_str().unwrap().to_string()))
            .collect::<Vec<_>>()
    };
    let all = run(&["-j", "2"]);
    let want: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(all, want, "one summary per report, in input order");
    let mut union = Vec::new();
    for i in 0..2 {
        union.extend(run(&["--shard", &format!("{i}/2")]));
    }
    union.sort();
    assert_eq!(union, want);
}

/// The runner behind `--jobs`: `jobs` items at once (not fewer, not more), results handed
/// over in input order, and, while one item is slow, only a bounded window of finished
/// results waits for it (memory does not grow with the batch behind a straggler).
#[test]
fn the_runner_keeps_jobs_busy_in_order_with_a_bounded_window() {
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    let items: Vec<usize> = (0..300).collect();
    for jobs in [1, 3] {
        let (running, most, handed, held_most) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
        let mut seen = Vec::new();
        reportgen::batch::run_ordered(
            &items,
            jobs,
            |&i| {
                most.fetch_max(running.fetch_add(1, SeqCst) + 1, SeqCst);
                // Results finished but not yet handed over, when this one starts.
                held_most.fetch_max(i - handed.load(SeqCst).min(i), SeqCst);
                // Item 0 is the straggler; the others overlap each other briefly.
                std::thread::sleep(std::time::Duration::from_millis(if i == 0 { 400 } else { 3 }));
                running.fetch_sub(1, SeqCst);
                i * 2
            },
            |i, r| {
                assert_eq!(r, items[i] * 2);
                seen.push(i);
                handed.store(i + 1, SeqCst);
            },
        );
        assert_eq!(seen, items, "every item once, in input order (jobs {jobs})");
        assert_eq!(most.load(SeqCst), jobs, "items run at once with --jobs {jobs}");
        // 4 × jobs + 16 (the window in src/batch.rs); without one, the other threads would
        // finish nearly all 300 while item 0 sleeps.
        let held = held_most.load(SeqCst);
        assert!(held <= 4 * jobs + 16, "{held} results waited behind a slow one (jobs {jobs})");
        if jobs > 1 {
            assert!(held >= jobs, "the others did go ahead of the slow one ({held})");
        }
    }
}
