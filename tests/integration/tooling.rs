//! The tooling around the core: the template-variable reference (docs/templates.md),
//! shell completions and the man page, `build --help`, `init`'s schema and placeholders,
//! the pre-commit hooks and the CI recipes of docs/ci.md.

use std::path::Path;
use std::process::Command;

use clap::ValueEnum;
use reportgen::render::OutputFormat;
use serde_json::Value;

fn stdout(args: &[&str]) -> String {
    let out = crate::bin().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn committed_template_reference_is_current() {
    let committed = std::fs::read_to_string(crate::root().join("docs/templates.md")).expect("docs/templates.md is committed");
    let current = reportgen::render::vars::reference();
    assert!(committed == current, "docs/templates.md is stale: run `cargo run --release -- templates vars > docs/templates.md`");
    assert_eq!(stdout(&["templates", "vars"]), current);
}

/// Every key a template really receives (the serialized context of each example) is in
/// the reference, with a description.
#[test]
fn template_reference_covers_every_variable() {
    let reference = reportgen::render::vars::reference();
    // A row of its own, or a field of a prose block's variant (`.content` (list of …)).
    let described = |name: &str| {
        reference.lines().any(|l| (l.starts_with(&format!("| `{name}` |")) || l.contains(&format!("`{name}` ("))) && !l.ends_with("|  |"))
    };
    fn walk(v: &Value, top: bool, keys: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    keys.insert(if top { k.clone() } else { format!(".{k}") });
                    walk(x, false, keys);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, false, keys)),
            _ => {}
        }
    }
    let mut keys = std::collections::BTreeSet::new();
    for f in ["examples/suizhong-2023.yaml", "examples/shiyi-scjg-2024.yaml", "tests/fixtures/render/injection.yaml"] {
        let c = crate::check_file(&crate::root().join(f), reportgen::Lang::Zh);
        let ctx = reportgen::render::Context::new(c.expanded.as_ref().unwrap());
        walk(&serde_json::to_value(&ctx).unwrap(), true, &mut keys);
    }
    keys.remove(".kind"); // the tag of prose blocks and inlines, in their own tables
    let missing: Vec<&String> = keys.iter().filter(|k| !described(k)).collect();
    assert!(keys.len() > 60, "{keys:?}");
    assert!(missing.is_empty(), "variables without a described row in the reference: {missing:?}");
    assert!(reference.contains("| `paragraph` |") && reference.contains("| `link` |"));
}

fn subcommands() -> Vec<String> {
    let help = stdout(&["--help"]);
    let section = help.split("Commands:").nth(1).unwrap().split("Options:").next().unwrap();
    let names: Vec<String> =
        section.lines().filter_map(|l| l.split_whitespace().next()).filter(|n| *n != "help").map(str::to_string).collect();
    assert!(names.len() >= 10 && names.contains(&"serve".to_string()), "{names:?}");
    names
}

#[test]
fn completions_know_every_subcommand() {
    let subs = subcommands();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&["completions", shell]);
        for s in &subs {
            assert!(script.contains(s.as_str()), "{shell} completion lacks {s}");
        }
        assert!(script.contains("--format") && script.contains("sarif"), "{shell}: options and their values");
    }
    // bash accepts the script it is given.
    if Command::new("bash").arg("--version").output().is_ok() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("c.bash"), stdout(&["completions", "bash"])).unwrap();
        let ok = Command::new("bash").arg("-c").arg("source c.bash && complete -p reportgen").current_dir(dir.path()).output().unwrap();
        assert!(ok.status.success() && String::from_utf8_lossy(&ok.stdout).contains("reportgen"));
    }
}

#[test]
fn man_page_documents_every_subcommand() {
    let page = stdout(&["man"]);
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "roff");
    assert!(page.contains(".TH reportgen"));
    for s in subcommands() {
        assert!(page.contains(&format!(".SH \"REPORTGEN {}\"", s.to_uppercase())), "man page lacks {s}");
    }
    assert!(page.contains("127.0.0.1"), "the serve section has its options");
    // man itself renders it, when installed.
    if Command::new("man").arg("--version").output().is_ok_and(|o| o.status.success()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("reportgen.1"), &page).unwrap();
        let out = Command::new("man")
            .args(["-l", "reportgen.1"])
            .env("MANPAGER", "cat")
            .env("COLUMNS", "100")
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains("REPORTGEN SERVE"));
    }
}

#[test]
fn build_help_names_every_format() {
    for help in [stdout(&["build", "--help"]), stdout(&["build", "-h"])] {
        for f in OutputFormat::value_variants() {
            let name = f.to_possible_value().unwrap().get_name().to_string();
            assert!(help.contains(&name), "build help lacks {name}:\n{help}");
        }
    }
}

/// `init` into a folder without a schema writes one beside the file; inside a project
/// with `schema/report.schema.json` the modeline points there instead.
#[test]
fn init_modeline_points_at_a_schema_that_exists() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("schema")).unwrap();
    std::fs::create_dir_all(dir.path().join("reports/2024")).unwrap();
    std::fs::write(dir.path().join("schema/report.schema.json"), "{}").unwrap();
    let out = crate::bin().args(["init", "-o", "reports/2024/a.yaml"]).current_dir(dir.path()).output().unwrap();
    assert!(out.status.success());
    let yaml = std::fs::read_to_string(dir.path().join("reports/2024/a.yaml")).unwrap();
    assert!(yaml.starts_with("# yaml-language-server: $schema=../../schema/report.schema.json\n"), "{yaml}");
    assert!(!dir.path().join("reports/2024/report.schema.json").exists());
    let resolved = dir.path().join("reports/2024").join(yaml.lines().next().unwrap().split("$schema=").nth(1).unwrap());
    assert!(resolved.is_file());
    // An existing report.schema.json beside the file is used, not rewritten.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("report.schema.json"), "{\"mine\": true}").unwrap();
    assert!(crate::bin().args(["init", "-o", "b.yaml"]).current_dir(other.path()).output().unwrap().status.success());
    assert_eq!(std::fs::read_to_string(other.path().join("report.schema.json")).unwrap(), "{\"mine\": true}");
}

#[test]
fn placeholders_left_in_a_file_are_warnings_at_their_field() {
    let c = crate::check_file(&crate::fixture("bad/placeholders.yaml"), reportgen::Lang::En);
    let found: Vec<(String, bool)> =
        c.diagnostics.iter().map(|d| (reportgen::diag::render_short(d, &c.source.text), d.is_error())).collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|(_, e)| !e));
    assert!(
        found[0].0.starts_with("placeholders.yaml:18:") && found[0].0.contains("warning[placeholder]: “（主动公开情况）”"),
        "{found:?}"
    );
    assert!(found[1].0.contains("（存在的主要问题及改进情况）"), "{found:?}");
    // Real prose that merely has brackets is not a placeholder.
    let mut text = std::fs::read_to_string(crate::fixture("bad/placeholders.yaml")).unwrap();
    text = text
        .replace("（主动公开情况）", "（主动公开情况见附件）已完成。")
        .replace("（存在的主要问题及改进情况）", "问题：（一）人手不足。");
    let c = reportgen::check_bytes("p.yaml", text.as_bytes(), &reportgen::Options::default());
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
}

/// A repository of reports, as a user has it: a good report, a broken one, and a CI file
/// that is YAML but no report.
fn fixture_repo(dir: &Path) {
    std::fs::create_dir_all(dir.join("reports")).unwrap();
    std::fs::create_dir_all(dir.join(".github/workflows")).unwrap();
    std::fs::copy(crate::root().join("examples/suizhong-2023.yaml"), dir.join("reports/suizhong-2023.yaml")).unwrap();
    std::fs::copy(crate::fixture("bad/balance.yaml"), dir.join("reports/balance.yaml")).unwrap();
    std::fs::write(dir.join(".github/workflows/ci.yml"), "on: push\njobs: {}\n").unwrap();
    std::fs::write(dir.join("notes.txt"), "not yaml").unwrap();
    let git = |args: &[&str]| {
        let ok = Command::new("git").args(args).current_dir(dir).output().unwrap();
        assert!(ok.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&ok.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
}

fn bin_dir_path() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_reportgen")).parent().unwrap().display().to_string();
    format!("{bin}:{}", std::env::var("PATH").unwrap_or_default())
}

/// The hooks as pre-commit reads them; and `pre-commit try-repo` running the system
/// hook on the fixture repository (pre-commit is installed by .ci/run).
#[test]
fn pre_commit_hook_checks_the_reports_of_a_repository() {
    let text = std::fs::read_to_string(crate::root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Value = serde_saphyr::from_str(&text).unwrap();
    let hooks = hooks.as_array().unwrap();
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["reportgen-check", "reportgen-check-system"]);
    assert_eq!(hooks[0]["language"], "rust", "builds from this repository: needs no install");
    for h in hooks {
        assert_eq!(h["entry"], "reportgen check --format short");
    }
    let Ok(v) = Command::new("pre-commit").arg("--version").output() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have pre-commit (.ci/run installs it)");
        return;
    };
    assert!(v.status.success());
    let repo = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    fixture_repo(repo.path());
    let run = || {
        Command::new("pre-commit")
            .args(["try-repo", &crate::root().display().to_string(), "reportgen-check-system", "--all-files", "--verbose"])
            .env("PATH", bin_dir_path())
            .env("PRE_COMMIT_HOME", home.path())
            .current_dir(repo.path())
            .output()
            .unwrap()
    };
    let out = run();
    let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{log}");
    assert!(log.contains("reports/balance.yaml:") && log.contains("error[B-balance]"), "{log}");
    assert!(!log.contains("ci.yml"), "a workflow file is not a report: {log}");
    // Fixed, the hook passes.
    std::fs::remove_file(repo.path().join("reports/balance.yaml")).unwrap();
    assert!(Command::new("git").args(["add", "-A"]).current_dir(repo.path()).status().unwrap().success());
    let out = run();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

/// The recipes of docs/ci.md are valid YAML, and every `reportgen …` command in them runs
/// as written on a folder of reports.
#[test]
fn ci_recipes_run_as_written() {
    let doc = std::fs::read_to_string(crate::root().join("docs/ci.md")).unwrap();
    let blocks: Vec<&str> = doc.split("```yaml\n").skip(1).map(|b| b.split("```").next().unwrap()).collect();
    assert_eq!(blocks.len(), 3);
    let mut commands = Vec::new();
    for b in &blocks {
        serde_saphyr::from_str::<Value>(b).unwrap_or_else(|e| panic!("docs/ci.md: a YAML block does not parse: {e}\n{b}"));
        for line in b.lines() {
            let l = line.trim().trim_start_matches("- ").trim_start_matches("run: ");
            if l.starts_with("reportgen ") || l.starts_with("jq ") {
                commands.push(l.to_string());
            }
        }
    }
    assert!(commands.iter().any(|c| c.contains("--format github")) && commands.iter().any(|c| c.contains("--format sarif")));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    for f in ["suizhong-2023.yaml", "shiyi-scjg-2024.yaml"] {
        std::fs::copy(crate::root().join("examples").join(f), dir.path().join("reports").join(f)).unwrap();
    }
    // Warnings only: every step passes, and the findings reach the reports.
    std::fs::copy(crate::fixture("bad/late-and-empty.yaml"), dir.path().join("reports/late.yaml")).unwrap();
    let jq = Command::new("jq").arg("--version").output().is_ok();
    assert!(jq || std::env::var_os("CI").is_none(), "CI must have jq (.ci/run installs it)");
    for c in &commands {
        if c.starts_with("jq ") && !jq {
            continue;
        }
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!("set -e -o pipefail; {c}"))
            .env("PATH", bin_dir_path())
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{c}: {}", String::from_utf8_lossy(&out.stderr));
    }
    assert!(dir.path().join("site/suizhong-2023.pdf").is_file());
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("reportgen.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    if jq {
        let cq: Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("gl-code-quality-report.json")).unwrap()).unwrap();
        let cq = cq.as_array().unwrap();
        assert!(!cq.is_empty() && cq.iter().all(|i| i["location"]["path"] == "reports/late.yaml" && i["severity"] == "minor"), "{cq:?}");
    }
}
