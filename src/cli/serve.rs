//! `reportgen serve` (alias `watch`): build, serve on 127.0.0.1 with live reload,
//! rebuild on every change of the data, a template or a font, until Ctrl-C.
//!
//! Threads: the main one debounces file events and rebuilds; a few HTTP workers answer
//! requests through [`Site::respond`]; each live-reload stream has its own thread,
//! waiting on the [`Signal`]. Ctrl-C stops them all, and the temporary output folder is
//! removed before the process exits.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reportgen::Lang;
use reportgen::build::BuildConfig;
use reportgen::diag::Format;
use reportgen::render::{OutputFormat, Templates};
use reportgen::serve::{Change, Debounce, EVENTS, ServeConfig, Signal, Site, Wake, Watch, sse_event};

use super::{DiagArgs, expand_inputs, fail};

/// Arguments of `reportgen serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Data files (or folders of *.yaml) to preview.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Port on 127.0.0.1 (0: any free port; the address is printed).
    #[arg(short, long, default_value_t = 3000)]
    pub port: u16,
    /// Write the outputs here (default: a temporary folder, removed on exit).
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Formats to build, comma-separated (default: all; html is always built).
    #[arg(short, long, value_enum, value_delimiter = ',')]
    pub formats: Vec<OutputFormat>,
    /// A folder whose files override the default templates by name (watched).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Extra folders of fonts for the PDF (watched).
    #[arg(long, value_name = "DIR")]
    pub font_path: Vec<PathBuf>,
    /// Use only the embedded fonts and --font-path, not the system's.
    #[arg(long)]
    pub ignore_system_fonts: bool,
    /// Output options for findings printed in the terminal.
    #[command(flatten)]
    pub diag: DiagArgs,
}

enum Event {
    Changed(Change),
    Stop,
}

/// Runs `reportgen serve`.
pub fn run(a: Args) -> ExitCode {
    let lang = a.diag.lang;
    let files = match expand_inputs(&a.files) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    if let Some(t) = &a.templates
        && !t.is_dir()
    {
        return fail(format!("--templates {}: not a folder", t.display()));
    }
    let watch = match Watch::new(&files, a.templates.as_deref(), &a.font_path) {
        Ok(w) => w,
        Err(e) => return fail(e),
    };
    // The output folder: -o, or a temporary one that is removed when this returns.
    let temp = match &a.output {
        Some(_) => None,
        None => match tempfile::Builder::new().prefix("reportgen-serve-").tempdir() {
            Ok(t) => Some(t),
            Err(e) => return fail(format!("cannot create a temporary folder: {e}")),
        },
    };
    let out_dir = a.output.clone().or_else(|| temp.as_ref().map(|t| t.path().to_path_buf())).unwrap_or_default();
    if let Some(o) = &a.output {
        if let Err(e) = std::fs::create_dir_all(o) {
            return fail(format!("-o {}: {e}", o.display()));
        }
        if watch.inside_watched(o) {
            return fail(lang.pick(
                "-o 不能是模板或字体目录（或在其中）：输出会触发下一次构建",
                "-o must not be (inside) the templates or a font folder: each build would trigger the next",
            ));
        }
    }
    let mut formats = if a.formats.is_empty() { OutputFormat::ALL.to_vec() } else { a.formats.clone() };
    formats.push(OutputFormat::Html);
    formats.sort();
    formats.dedup();
    let system_fonts = !a.ignore_system_fonts;
    let fonts = formats.contains(&OutputFormat::Pdf).then(|| Arc::new(reportgen::render::pdf::Fonts::load(&a.font_path, system_fonts)));
    // DOCX (with `-f docx`) from our reference document: serve previews, it does not sign off.
    let build = BuildConfig {
        out_dir: out_dir.clone(),
        layout: reportgen::batch::Layout::Flat,
        formats,
        templates: Templates { dir: a.templates.clone() },
        lang,
        fonts,
        reference: None,
        defer_sync: false,
    };
    let cfg = ServeConfig { files, build, font_dirs: a.font_path.clone(), system_fonts };

    let server = match tiny_http::Server::http(("127.0.0.1", a.port)) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            return fail(match lang {
                Lang::Zh => format!("无法在 127.0.0.1:{} 上监听：{e}；用 --port 换一个端口（0 为任意空闲端口）", a.port),
                Lang::En => format!("cannot listen on 127.0.0.1:{}: {e}; choose another with --port (0: any free port)", a.port),
            });
        }
    };
    let port = server.server_addr().to_ip().map_or(a.port, |s| s.port());

    let (tx, rx) = mpsc::channel();
    let stop_tx = tx.clone();
    let _ = ctrlc::set_handler(move || {
        reportgen::build::INTERRUPTED.store(true, Ordering::SeqCst);
        let _ = stop_tx.send(Event::Stop);
    });

    eprintln!("{}", lang.pick("正在构建……", "building…"));
    let site = match Site::new(cfg) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    for i in 0..site.pages().len() {
        print_build(&site, i, a.diag.format, lang);
    }
    let signal = Arc::new(Signal::default());
    signal.publish(site.generation());
    let site = Arc::new(Mutex::new(site));

    let (change_tx, change_rx) = mpsc::channel();
    let _watcher = match reportgen::serve::watch(&watch, change_tx) {
        Ok(w) => w,
        Err(e) => return fail(format!("cannot watch the files: {e}")),
    };
    let forward = tx.clone();
    std::thread::spawn(move || {
        while let Ok(c) = change_rx.recv() {
            if forward.send(Event::Changed(c)).is_err() {
                break;
            }
        }
    });

    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (server, site, signal) = (server.clone(), site.clone(), signal.clone());
            std::thread::spawn(move || http_worker(&server, &site, &signal))
        })
        .collect();

    match lang {
        Lang::Zh => eprintln!(
            "预览：http://127.0.0.1:{port}/\n输出目录：{}\n修改数据、模板或字体后自动重新构建；按 Ctrl-C 结束。",
            out_dir.display()
        ),
        Lang::En => eprintln!(
            "serving http://127.0.0.1:{port}/\noutputs: {}\nrebuilds when the data, a template or a font changes; Ctrl-C to stop.",
            out_dir.display()
        ),
    }

    let mut debounce = Debounce::new(Duration::from_millis(150), Duration::from_secs(2));
    loop {
        let timeout = debounce.wait(Instant::now()).unwrap_or(Duration::from_secs(3600));
        match rx.recv_timeout(timeout) {
            Ok(Event::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Ok(Event::Changed(c)) => debounce.push(c, Instant::now()),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if let Some(changes) = debounce.take_due(Instant::now()) {
            let Ok(mut s) = site.lock() else { break };
            let rebuilt = s.rebuild(&changes);
            if reportgen::build::INTERRUPTED.load(Ordering::SeqCst) {
                break;
            }
            for i in rebuilt {
                print_build(&s, i, a.diag.format, lang);
            }
            signal.publish(s.generation());
        }
    }

    signal.stop();
    for w in workers {
        let _ = w.join();
    }
    drop(server);
    if let Some(t) = temp {
        let path = t.path().to_path_buf();
        if let Err(e) = t.close() {
            eprintln!("cannot remove {}: {e}", path.display());
        }
    }
    eprintln!("{}", lang.pick("已停止。", "stopped."));
    ExitCode::SUCCESS
}

/// The terminal's account of one build: its findings, then one line.
fn print_build(site: &Site, i: usize, format: Format, lang: Lang) {
    let p = &site.pages()[i];
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{}", p.findings(format));
    let file = p.input.display();
    let ms = p.took.as_millis();
    let line = match (lang, p.failed) {
        (Lang::Zh, false) => format!("✓ {file}：已构建（{ms} 毫秒，第 {} 次）", site.generation()),
        (Lang::Zh, true) => format!("✗ {file}：有错误，未生成；页面显示错误，修正后自动刷新"),
        (Lang::En, false) => format!("✓ {file}: built ({ms} ms, build {})", site.generation()),
        (Lang::En, true) => format!("✗ {file}: errors, not built; the page shows them and reloads when fixed"),
    };
    let _ = writeln!(err, "{line}");
}

fn http_worker(server: &tiny_http::Server, site: &Mutex<Site>, signal: &Arc<Signal>) {
    while !signal.stopped() {
        let req = match server.recv_timeout(Duration::from_millis(200)) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            Err(_) => break,
        };
        if req.url().split('?').next() == Some(EVENTS) {
            let signal = signal.clone();
            std::thread::spawn(move || event_stream(req, &signal));
            continue;
        }
        if !matches!(req.method(), tiny_http::Method::Get | tiny_http::Method::Head) {
            let _ = req.respond(tiny_http::Response::empty(405));
            continue;
        }
        let reply = match site.lock() {
            Ok(s) => s.respond(req.url()),
            Err(_) => break,
        };
        let mut resp = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
        for (k, v) in [("Content-Type", reply.content_type), ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")] {
            if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
                resp.add_header(h);
            }
        }
        let _ = req.respond(resp);
    }
}

/// A server-sent event stream: the current generation at once, then every new one; a
/// comment every 15 s keeps proxies and the browser from dropping it. Written by hand
/// (tiny_http would buffer a chunked body), flushed after each event.
fn event_stream(req: tiny_http::Request, signal: &Signal) {
    let mut w = req.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n";
    let mut seen = signal.generation();
    if w.write_all(head.as_bytes()).and_then(|_| w.write_all(sse_event(seen).as_bytes())).and_then(|_| w.flush()).is_err() {
        return;
    }
    loop {
        let msg = match signal.wait_change(seen, Duration::from_secs(15)) {
            Wake::Stopped => return,
            Wake::Changed(g) => {
                seen = g;
                sse_event(g)
            }
            Wake::Timeout => ": keep-alive\n\n".to_string(),
        };
        if w.write_all(msg.as_bytes()).and_then(|_| w.flush()).is_err() {
            return;
        }
    }
}
