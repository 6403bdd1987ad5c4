//! `cargo bench --bench idle`: what `clas watch` costs while nothing happens.
//!
//! The real binary is started on an empty workspace, once with the system's notifications and
//! once with `--poll`; after a few seconds to settle, its CPU time (user + system, from
//! `/proc/PID/stat`) is sampled over a quiet period and printed as a percentage of one core.
//! The period is 60 s by default; `CLAS_BENCH_IDLE_SECONDS=10` for a quick run. Linux only.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    if !Path::new("/proc/self/stat").exists() {
        eprintln!("idle : /proc absent (Linux seulement), mesure sautée");
        return;
    }
    let seconds: f64 = std::env::var("CLAS_BENCH_IDLE_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|s: &f64| *s > 0.0)
        .unwrap_or(60.0);
    let tmp = std::env::temp_dir().join(format!("clas-bench-idle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    for (label, poll) in [("notifications", false), ("--poll", true)] {
        let ws = tmp.join(if poll { "poll" } else { "notify" });
        let init = Command::new(env!("CARGO_BIN_EXE_clas"))
            .arg("init")
            .arg(&ws)
            .stdout(Stdio::null())
            .status()
            .expect("clas init");
        assert!(init.success());
        let percent = idle_cpu(&ws, poll, Duration::from_secs_f64(seconds));
        println!("clas watch ({label}), dépôt vide : {percent:.2} % d'un cœur sur {seconds} s");
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

/// The CPU used by `clas watch` on `ws` over `period`, in % of one core.
fn idle_cpu(ws: &Path, poll: bool, period: Duration) -> f64 {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_clas"));
    cmd.arg("--workspace").arg(ws).arg("watch");
    if poll {
        cmd.arg("--poll");
    }
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("clas watch starts");
    // Started, first scan done.
    std::thread::sleep(Duration::from_secs(3));
    let before = cpu_ticks(child.id());
    let t = Instant::now();
    std::thread::sleep(period);
    let after = cpu_ticks(child.id());
    let wall = t.elapsed().as_secs_f64();
    let _ = child.kill();
    let _ = child.wait();
    // SAFETY: sysconf reads a constant of the system.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (after - before) as f64 / hz / wall * 100.0
}

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("process alive");
    // After the command name (in parentheses, which may hold spaces): fields 3 onwards.
    let rest = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 here (from 3).
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}
