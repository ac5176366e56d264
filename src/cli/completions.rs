//! `reportgen completions SHELL` and `reportgen man`: generated from the same clap
//! definitions as `--help` (clap_complete, clap_mangen), so they never drift from it.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;

use super::{Cli, fail};

/// Arguments of `reportgen completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell. Install e.g. `reportgen completions bash > ~/.local/share/bash-completion/completions/reportgen`.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Runs `reportgen completions`.
pub fn run(a: Args) -> ExitCode {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "reportgen", &mut out);
    print(&out)
}

/// Runs `reportgen man`: one page, with a section per subcommand.
pub fn man() -> ExitCode {
    let cmd = Cli::command();
    let mut out = Vec::new();
    let page = clap_mangen::Man::new(cmd.clone());
    if let Err(e) = page.render(&mut out) {
        return fail(e);
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name();
        let _ = writeln!(out, ".SH \"REPORTGEN {}\"", name.to_uppercase());
        let sub_page = clap_mangen::Man::new(sub.clone().bin_name(format!("reportgen {name}")));
        let rendered = (|| -> std::io::Result<()> {
            sub_page.render_synopsis_section(&mut out)?;
            sub_page.render_description_section(&mut out)?;
            sub_page.render_options_section(&mut out)?;
            if sub.has_subcommands() {
                sub_page.render_subcommands_section(&mut out)?;
            }
            Ok(())
        })();
        if let Err(e) = rendered {
            return fail(e);
        }
    }
    print(&out)
}

fn print(bytes: &[u8]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is a normal end.
    let _ = stdout.write_all(bytes).and_then(|_| stdout.flush());
    ExitCode::SUCCESS
}
