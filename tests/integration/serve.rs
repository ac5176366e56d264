//! `serve`: the debounce, watch and rebuild logic through the library, then the real
//! binary on a free port, driven by a real HTTP client (ureq) and, for the reload
//! itself, a real browser (headless Chromium, read through its DevTools listing).

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reportgen::build::BuildConfig;
use reportgen::render::{OutputFormat, Templates};
use reportgen::serve::{Change, Changes, Debounce, ServeConfig, Signal, Site, Wake, Watch, pages};
use reportgen::{Lang, diag::Format};

fn copy_example(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::copy(crate::root().join("examples/suizhong-2023.yaml"), &p).unwrap();
    p
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn site(files: Vec<PathBuf>, out: &Path, templates: Option<PathBuf>) -> Site {
    let build = BuildConfig {
        out_dir: out.to_path_buf(),
        layout: reportgen::batch::Layout::Flat,
        formats: vec![OutputFormat::Html, OutputFormat::Markdown],
        templates: Templates { dir: templates },
        lang: Lang::En,
        fonts: None,
        reference: None,
        defer_sync: false,
    };
    Site::new(ServeConfig { files, build, font_dirs: Vec::new(), system_fonts: false }).expect("site builds")
}

fn text(r: &reportgen::serve::Reply) -> String {
    String::from_utf8(r.body.clone()).unwrap()
}

#[test]
fn debounce_waits_for_quiet_and_caps_the_wait() {
    let q = Duration::from_millis(100);
    let mut d = Debounce::new(q, Duration::from_millis(500));
    let t0 = Instant::now();
    assert_eq!(d.wait(t0), None);
    assert_eq!(d.take_due(t0), None);
    d.push(Change::Data(0), t0);
    assert_eq!(d.wait(t0), Some(q));
    assert_eq!(d.take_due(t0 + Duration::from_millis(50)), None);
    // A second event restarts the quiet period; both land in one batch.
    d.push(Change::Data(1), t0 + Duration::from_millis(80));
    assert_eq!(d.take_due(t0 + Duration::from_millis(150)), None);
    let batch = d.take_due(t0 + Duration::from_millis(180)).expect("due after 100 ms of quiet");
    assert_eq!(batch.data.into_iter().collect::<Vec<_>>(), [0, 1]);
    assert!(!batch.templates && !batch.fonts);
    assert_eq!(d.wait(t0 + Duration::from_secs(1)), None, "taken batches start over");
    // Events every 50 ms never leave 100 ms of quiet: the cap (500 ms) still fires.
    let mut fired = None;
    for i in 0..40u64 {
        let now = t0 + Duration::from_millis(1000 + 50 * i);
        if let Some(b) = d.take_due(now) {
            fired = Some((i, b));
            break;
        }
        d.push(if i % 2 == 0 { Change::Templates } else { Change::Fonts }, now);
    }
    let (i, b) = fired.expect("a steady stream still rebuilds");
    assert_eq!(i, 10, "the cap is 500 ms after the first event");
    assert!(b.templates && b.fonts && b.data.is_empty());
}

#[test]
fn watch_classifies_only_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let (tdir, fdir) = (dir.path().join("tpl"), dir.path().join("fonts"));
    std::fs::create_dir_all(fdir.join("nested")).unwrap();
    std::fs::create_dir_all(&tdir).unwrap();
    let a = copy_example(dir.path(), "a.yaml");
    let b = copy_example(dir.path(), "b.yaml");
    let w = Watch::new(&[a, b], Some(&tdir), std::slice::from_ref(&fdir)).unwrap();
    let root = dir.path().canonicalize().unwrap();
    assert_eq!(w.classify(&root.join("a.yaml")), Some(Change::Data(0)));
    assert_eq!(w.classify(&root.join("b.yaml")), Some(Change::Data(1)));
    assert_eq!(w.classify(&root.join("a.html")), None, "outputs beside the data are not inputs");
    assert_eq!(w.classify(&root.join(".a.yaml.swp")), None);
    assert_eq!(w.classify(&root.join(".reportgen-x.tmp")), None);
    assert_eq!(w.classify(&root.join("tpl/report.html.j2")), Some(Change::Templates));
    assert_eq!(w.classify(&root.join("tpl/.reportgen-1.tmp")), None);
    assert_eq!(w.classify(&root.join("fonts/nested/x.otf")), Some(Change::Fonts));
    // The data folder once (flat), the templates flat, fonts recursive.
    assert_eq!(w.roots(), [(root.clone(), false), (root.join("tpl"), false), (root.join("fonts"), true)]);
    assert!(w.inside_watched(&tdir) && w.inside_watched(&fdir.join("nested")) && !w.inside_watched(dir.path()));
}

#[test]
fn site_rebuilds_shows_errors_escaped_and_serves_only_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let data = copy_example(dir.path(), "data.yaml");
    let mut s = site(vec![data.clone()], out.path(), None);
    assert_eq!(s.generation(), 1);
    let r = s.respond("/");
    assert_eq!((r.status, r.content_type), (200, "text/html; charset=utf-8"));
    let page = text(&r);
    assert!(page.contains("绥中县人民政府") && page.contains("new EventSource(\"/__reportgen/events\")") && page.contains("var g=1;"));
    assert!(page.find("EventSource").unwrap() < page.rfind("</body>").unwrap());
    // The script is only in what is served, never in the built file.
    let built = std::fs::read_to_string(out.path().join("data.html")).unwrap();
    assert!(!built.contains("EventSource") && !built.contains("<script"));
    assert_eq!(text(&s.respond("/data.md")), std::fs::read_to_string(out.path().join("data.md")).unwrap());
    assert_eq!(s.respond("/data.md?x=1").content_type, "text/markdown; charset=utf-8");

    edit(&data, "agency: 绥中县人民政府", "agency: 改过的县人民政府");
    edit(&data, "title: 绥中县2023年", "title: 改过的2023年");
    assert_eq!(s.rebuild(&Changes { data: [0].into(), ..Changes::default() }), [0]);
    assert_eq!(s.generation(), 2);
    assert!(text(&s.respond("/")).contains("改过的2023年"));

    // A broken edit: the page is the error page, escaped, and the last good outputs stay.
    edit(&data, "meta:\n", "meta:\n  \"<script>alert(1)</script>\": 1\n");
    s.rebuild(&Changes { data: [0].into(), ..Changes::default() });
    let r = s.respond("/");
    let page = text(&r);
    assert_eq!(r.status, 422);
    assert!(page.contains("error[schema]") && page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{page}");
    assert!(!page.contains("<script>alert"));
    assert!(page.contains("var g=3;"), "the error page reloads too");
    assert_eq!(s.respond("/data.html").status, 422);
    assert!(s.pages()[0].failed && s.pages()[0].findings(Format::Short).contains("data.yaml:"));
    assert_eq!(s.respond("/data.md").status, 200, "the last good Markdown is still served");
    assert!(std::fs::read_to_string(out.path().join("data.html")).unwrap().contains("改过的2023年"));

    edit(&data, "  \"<script>alert(1)</script>\": 1\n", "");
    s.rebuild(&Changes { data: [0].into(), ..Changes::default() });
    assert_eq!(s.respond("/").status, 200);

    for bad in ["/data.yaml", "/../data.yaml", "/%2e%2e/data.yaml", "/etc/passwd", "/data.pdf", "//data.html/x"] {
        assert_eq!(s.respond(bad).status, 404, "{bad}");
    }
    // Only the outputs were written, and never beside the input.
    let mut written: Vec<String> = std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    written.sort();
    assert_eq!(written, ["data.html", "data.md"]);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn site_rebuilds_all_on_a_template_change_and_lists_several_reports() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("tpl");
    std::fs::create_dir(&tpl).unwrap();
    std::fs::write(tpl.join("style.css"), "body { color: #111; }").unwrap();
    let a = copy_example(dir.path(), "a.yaml");
    let b = dir.path().join("b.yaml");
    std::fs::copy(crate::root().join("examples/shiyi-scjg-2024.yaml"), &b).unwrap();
    let mut s = site(vec![a, b], out.path(), Some(tpl.clone()));
    let index = text(&s.respond("/"));
    assert!(index.contains("绥中县人民政府") && index.contains("2023") && index.contains("2024"));
    assert!(index.contains("href=\"/a.html\"") && index.contains("href=\"/b.md\""));
    assert!(text(&s.respond("/a.html")).contains("#111"));
    std::fs::write(tpl.join("style.css"), "body { color: #222; }").unwrap();
    assert_eq!(s.rebuild(&Changes { templates: true, ..Changes::default() }), [0, 1]);
    assert!(text(&s.respond("/a.html")).contains("#222") && text(&s.respond("/b.html")).contains("#222"));
    // A broken template: both reports fail, with the template's line.
    std::fs::write(tpl.join("report.html.j2"), "{% if %}").unwrap();
    s.rebuild(&Changes { templates: true, ..Changes::default() });
    let page = text(&s.respond("/b.html"));
    assert!(page.contains("error[template]") && page.contains("report.html.j2"), "{page}");
    assert!(text(&s.respond("/")).contains("class=\"bad\""));

    // Two files with one stem would overwrite each other's outputs.
    std::fs::create_dir(dir.path().join("x")).unwrap();
    let again = copy_example(&dir.path().join("x"), "a.yaml");
    let build = BuildConfig {
        out_dir: out.path().into(),
        layout: reportgen::batch::Layout::Flat,
        formats: vec![OutputFormat::Html],
        templates: Templates::default(),
        lang: Lang::En,
        fonts: None,
        reference: None,
        defer_sync: false,
    };
    let cfg = ServeConfig { files: vec![dir.path().join("a.yaml"), again], build, font_dirs: Vec::new(), system_fonts: false };
    assert!(Site::new(cfg).err().unwrap().contains("two data files are named a"));
}

#[test]
fn signal_wakes_waiters_and_stops_them() {
    let s = Arc::new(Signal::default());
    s.publish(1);
    assert_eq!(s.wait_change(1, Duration::from_millis(20)), Wake::Timeout);
    assert_eq!(s.wait_change(0, Duration::from_millis(20)), Wake::Changed(1));
    let w = {
        let s = s.clone();
        std::thread::spawn(move || s.wait_change(1, Duration::from_secs(10)))
    };
    std::thread::sleep(Duration::from_millis(50));
    s.publish(2);
    assert_eq!(w.join().unwrap(), Wake::Changed(2));
    let w = {
        let s = s.clone();
        std::thread::spawn(move || s.wait_change(2, Duration::from_secs(10)))
    };
    s.stop();
    assert_eq!(w.join().unwrap(), Wake::Stopped);
    assert!(s.stopped());
}

#[test]
fn inject_puts_the_script_before_the_last_body_end() {
    assert!(pages::inject("<html><BODY>x</BODY></html>", 7).starts_with("<html><BODY>x<script>"));
    assert!(pages::inject("<p>no body</p>", 7).trim_end().ends_with("</script>"));
    assert_eq!(pages::url_name("绥中 2023.html"), "/%E7%BB%A5%E4%B8%AD%202023.html");
}

/// The real watcher (inotify here) sees an editor's save, by rewrite or by rename.
#[test]
fn watcher_reports_saves_of_the_data_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = copy_example(dir.path(), "data.yaml");
    let w = Watch::new(std::slice::from_ref(&data), None, &[]).unwrap();
    let (tx, rx) = mpsc::channel();
    let _watcher = reportgen::serve::watch(&w, tx).unwrap();
    std::fs::write(dir.path().join("data.html"), "output").unwrap();
    std::fs::write(&data, std::fs::read(&data).unwrap()).unwrap();
    assert_eq!(rx.recv_timeout(Duration::from_secs(5)), Ok(Change::Data(0)));
    while rx.recv_timeout(Duration::from_millis(300)).is_ok() {}
    // Save by rename, as vim and many editors do.
    std::fs::write(dir.path().join(".data.yaml.new"), "meta: {}").unwrap();
    std::fs::rename(dir.path().join(".data.yaml.new"), &data).unwrap();
    assert_eq!(rx.recv_timeout(Duration::from_secs(5)), Ok(Change::Data(0)));
    while let Ok(c) = rx.recv_timeout(Duration::from_millis(300)) {
        assert_eq!(c, Change::Data(0), "only the data file is an input");
    }
}

/// The binary under test, its stderr collected line by line.
struct Served {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    base: String,
    out_dir: PathBuf,
}

impl Served {
    fn start(dir: &Path, args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_reportgen"))
            .arg("serve")
            .args(args)
            .args(["--port", "0", "--lang", "en"])
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = lines.clone();
        std::thread::spawn(move || {
            for l in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(l);
            }
        });
        let mut s = Served { child, lines, base: String::new(), out_dir: PathBuf::new() };
        let serving = s.wait_line(|l| l.starts_with("serving http://127.0.0.1:"), Duration::from_secs(60));
        s.base = serving.trim_start_matches("serving ").trim_end_matches('/').to_string();
        s.out_dir = PathBuf::from(s.wait_line(|l| l.starts_with("outputs: "), Duration::from_secs(5)).trim_start_matches("outputs: "));
        s
    }

    fn wait_line(&self, pred: impl Fn(&str) -> bool, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            if let Some(l) = self.lines.lock().unwrap().iter().find(|l| pred(l)) {
                return l.clone();
            }
            assert!(start.elapsed() < timeout, "timed out; stderr so far:\n{}", self.stderr());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stderr(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        match ureq::get(&format!("{}{path}", self.base)).timeout(Duration::from_secs(30)).call() {
            Ok(r) | Err(ureq::Error::Status(_, r)) => (r.status(), r.content_type().to_string(), r.into_string().unwrap_or_default()),
            Err(e) => panic!("GET {path}: {e}"),
        }
    }

    /// The live-reload stream, read on its own thread: each `data:` of a `reload` event.
    fn events(&self) -> mpsc::Receiver<u64> {
        let resp = ureq::get(&format!("{}{}", self.base, reportgen::serve::EVENTS)).call().expect("event stream");
        assert_eq!(resp.content_type(), "text/event-stream");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            for line in std::io::BufReader::new(resp.into_reader()).lines().map_while(Result::ok) {
                if let Some(e) = line.strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(d) = line.strip_prefix("data: ")
                    && event == "reload"
                    && tx.send(d.parse().unwrap()).is_err()
                {
                    break;
                }
            }
        });
        rx
    }

    fn interrupt(mut self) -> (std::process::ExitStatus, String) {
        let ok = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status().unwrap();
        assert!(ok.success());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(100)); // the last stderr lines
                return (status, self.stderr());
            }
            assert!(start.elapsed() < Duration::from_secs(10), "serve did not stop on SIGINT");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn next_event(rx: &mpsc::Receiver<u64>, after: u64) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let g = rx.recv_timeout(left).expect("a reload event within 10 s");
        if g > after {
            return g;
        }
    }
}

#[test]
fn serve_live_edit_break_fix_stop() {
    let dir = tempfile::tempdir().unwrap();
    let data = copy_example(dir.path(), "data.yaml");
    let tpl = dir.path().join("tpl");
    std::fs::create_dir(&tpl).unwrap();
    std::fs::write(tpl.join("style.css"), "body { color: #111; }").unwrap();
    let s = Served::start(dir.path(), &["data.yaml", "--templates", "tpl"]);
    assert!(s.out_dir.starts_with(std::env::temp_dir()) && s.out_dir.is_dir());

    let (status, ctype, page) = s.get("/");
    assert_eq!((status, ctype.as_str()), (200, "text/html"));
    assert!(page.contains("绥中县2023年政府信息公开工作年度报告") && page.contains("EventSource") && page.contains("#111"));
    let (status, ctype, _) = s.get("/data.pdf");
    assert_eq!((status, ctype.as_str()), (200, "application/pdf"));
    assert!(std::fs::read(s.out_dir.join("data.pdf")).unwrap().starts_with(b"%PDF"));
    assert!(!std::fs::read_to_string(s.out_dir.join("data.html")).unwrap().contains("EventSource"));

    let events = s.events();
    let g1 = events.recv_timeout(Duration::from_secs(5)).expect("the current generation at once");
    let t = Instant::now();
    edit(&data, "title: 绥中县2023年", "title: 第二版2023年");
    let g2 = next_event(&events, g1);
    let (status, _, page) = s.get("/");
    assert!(status == 200 && page.contains("第二版2023年") && page.contains(&format!("var g={g2};")));
    eprintln!("edit → reload event → new page: {:?}", t.elapsed());

    // A template edit rebuilds too.
    std::fs::write(tpl.join("style.css"), "body { color: #222; }").unwrap();
    let g3 = next_event(&events, g2);
    assert!(s.get("/").2.contains("#222"));

    // A broken edit: the error page, escaped, and the terminal has the finding; the server lives.
    edit(&data, "  year: 2023", "  year: 2023\n  <b>oops</b>: 1");
    let g4 = next_event(&events, g3);
    let (status, _, page) = s.get("/");
    assert_eq!(status, 422);
    assert!(page.contains("error[schema]") && page.contains("&lt;b&gt;oops&lt;/b&gt;") && !page.contains("<b>oops"), "{page}");
    s.wait_line(|l| l.starts_with("error[schema]") && l.contains("<b>oops</b>"), Duration::from_secs(5));
    s.wait_line(|l| l.contains("errors, not built"), Duration::from_secs(5));

    edit(&data, "\n  <b>oops</b>: 1", "");
    let g5 = next_event(&events, g4);
    let (status, _, page) = s.get("/");
    assert!(status == 200 && page.contains("第二版2023年") && page.contains(&format!("var g={g5};")));

    let out_dir = s.out_dir.clone();
    let (status, stderr) = s.interrupt();
    assert!(status.success(), "exit {status:?}\n{stderr}");
    assert!(stderr.ends_with("stopped."), "{stderr}");
    assert!(!out_dir.exists(), "the temporary output folder is removed");
    let mut left: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    left.sort();
    assert_eq!(left, ["data.yaml", "tpl"], "nothing written beside the inputs");
    assert_eq!(std::fs::read_dir(&tpl).unwrap().count(), 1);
}

/// `-o DIR` keeps the outputs after exit; several files get an index; a port in use and
/// an output folder inside the templates are refused with a hint.
#[test]
fn serve_with_output_folder_and_several_files() {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path(), "a.yaml");
    std::fs::copy(crate::root().join("examples/shiyi-scjg-2024.yaml"), dir.path().join("b.yaml")).unwrap();
    let s = Served::start(dir.path(), &["a.yaml", "b.yaml", "-o", "site", "-f", "html"]);
    let (status, _, index) = s.get("/");
    assert_eq!(status, 200);
    assert!(index.contains("绥中县人民政府") && index.contains("href=\"/b.html\""));
    assert!(s.get("/b.html").2.contains("2024"));
    let port = s.base.rsplit(':').next().unwrap().to_string();
    let busy = crate::bin().args(["serve", "a.yaml", "--port", &port, "--lang", "en"]).current_dir(dir.path()).output().unwrap();
    assert_eq!(busy.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&busy.stderr).contains("choose another with --port"));
    let (status, _) = s.interrupt();
    assert!(status.success());
    assert!(dir.path().join("site/a.html").is_file() && dir.path().join("site/b.html").is_file());

    std::fs::create_dir(dir.path().join("tpl")).unwrap();
    let looped = crate::bin()
        .args(["serve", "a.yaml", "--port", "0", "--templates", "tpl", "-o", "tpl/out"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(looped.status.code(), Some(2));
}

/// The open page reloads itself in a real browser: Chromium keeps the page open, and
/// its DevTools listing shows the page's title change after the data file's title does.
#[test]
fn browser_page_reloads_itself() {
    let Some(chrome) =
        ["chromium", "chromium-browser"].into_iter().find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
    else {
        assert!(std::env::var_os("CI").is_none(), "CI must have chromium (.ci/run installs it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = copy_example(dir.path(), "data.yaml");
    let s = Served::start(dir.path(), &["data.yaml", "-f", "html"]);
    let profile = tempfile::tempdir().unwrap();
    let mut browser = Command::new(chrome)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        .args(["--disable-component-update", "--disable-sync", "--remote-debugging-port=0"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("{}/", s.base))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let title = |want: &str| -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(port) = std::fs::read_to_string(profile.path().join("DevToolsActivePort"))
                && let Some(port) = port.lines().next()
                && let Ok(r) = ureq::get(&format!("http://127.0.0.1:{port}/json/list")).call()
                && r.into_string().is_ok_and(|list| list.contains(want))
            {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    };
    let first = title("\"title\": \"绥中县2023年政府信息公开工作年度报告\"");
    if first {
        edit(&data, "title: 绥中县2023年", "title: 浏览器已刷新2023年");
    }
    let reloaded = first && title("\"title\": \"浏览器已刷新2023年政府信息公开工作年度报告\"");
    let _ = browser.kill();
    let _ = browser.wait();
    assert!(first, "the browser opened the page");
    assert!(reloaded, "the browser reloaded the page after the edit");
    assert!(s.interrupt().0.success());
}
