//! Opens the agent's default browser on the page: `xdg-open` (Linux), `open` (macOS),
//! `start` (Windows). A failure is told, not fatal: the address is printed anyway.

use std::process::{Command, Stdio};

/// Asks the system to open `url` in the default browser; `Err` says why it could not.
pub fn open(url: &str) -> Result<(), String> {
    let mut cmd = if cfg!(target_os = "windows") {
        let mut c = Command::new("cmd");
        // `start` takes its first quoted argument as a window title: an empty one first.
        c.args(["/C", "start", "", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    };
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().map_err(|e| {
        format!(
            "navigateur non ouvert ({}) : ouvrez l'adresse à la main",
            crate::files::io_french(&e)
        )
    })?;
    // Waited for aside: xdg-open may stay until the browser closes.
    std::thread::spawn(move || child.wait());
    Ok(())
}
