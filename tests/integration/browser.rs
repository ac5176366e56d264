//! The HTML in a real browser (Debian's headless Chromium): at phone width the page does
//! not overflow, the wide tables scroll inside their frames, figures are right-aligned.

use std::process::Command;

use crate::chromium;

#[test]
fn html_fits_a_phone_in_a_real_browser() {
    let Some(chrome) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have chromium (.ci/run installs it)");
        eprintln!("skipped: no chromium on this machine");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = crate::bin().args(["build", "examples/shiyi-scjg-2024.yaml", "-f", "html", "-o"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    let probe = r#"<!DOCTYPE html><html><body><iframe id="f" src="shiyi-scjg-2024.html" style="width:390px;height:844px;border:0"></iframe>
<script>
document.getElementById('f').addEventListener('load', function () {
  var d = this.contentDocument;
  var frames = Array.prototype.map.call(d.querySelectorAll('.table-scroll'), function (t) {
    return { id: t.querySelector('table').id, scrolls: t.scrollWidth > t.clientWidth, within: t.getBoundingClientRect().right <= d.documentElement.clientWidth + 0.5 };
  });
  var num = d.querySelector('#table-b td.num');
  document.body.setAttribute('data-result', JSON.stringify({
    page: d.documentElement.scrollWidth, client: d.documentElement.clientWidth, frames: frames,
    align: getComputedStyle(num).textAlign, digits: getComputedStyle(num).fontVariantNumeric
  }));
});
</script></body></html>"#;
    std::fs::write(dir.path().join("probe.html"), probe).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--allow-file-access-from-files",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", dir.path().join("probe.html").display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find("data-result=\"").expect("the probe ran in the browser") + 13;
    let json = &dom[start..start + dom[start..].find('"').unwrap()];
    let r: serde_json::Value = serde_json::from_str(&json.replace("&quot;", "\"")).unwrap();
    assert!(r["page"].as_f64().unwrap() <= r["client"].as_f64().unwrap(), "the page overflows a phone: {r}");
    let frames = r["frames"].as_array().unwrap();
    assert_eq!(frames.len(), 3);
    for f in frames {
        assert_eq!(f["within"], true, "{f}");
    }
    assert_eq!(frames[1]["scrolls"], true, "table B scrolls sideways on a phone: {r}");
    assert_eq!(frames[2]["scrolls"], true, "table C scrolls sideways on a phone: {r}");
    assert_eq!(r["align"], "right");
    assert!(r["digits"].as_str().unwrap().contains("tabular-nums"), "{r}");
}
