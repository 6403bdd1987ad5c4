//! A minimal WebDriver client (the W3C protocol, JSON over HTTP) for chromedriver and a
//! headless Chromium: open a page, find an element, type, click, press a key, take a
//! screenshot, print. Lighter than a WebDriver crate and its async runtime; enough here.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::http::request;

/// The W3C key of an element reference (`element-6066-11e4-a52e-4f735466cecf`).
const ELEMENT_KEY: &str = "element-6066-11e4";

/// chromedriver and one browser session, both ended when dropped.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
}

/// Why the browser tests cannot run here (the tools are missing), or `None`.
pub fn missing() -> Option<String> {
    let found = |name: &str| {
        std::env::var_os("PATH")
            .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(name).is_file()))
    };
    let missing: Vec<&str> = ["chromium", "chromedriver"]
        .into_iter()
        .filter(|t| !found(t))
        .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "{} introuvable (apt-get install chromium chromium-driver)",
            missing.join(", ")
        )
    })
}

fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    pub fn start() -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver never listened");
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut b = Browser {
            driver,
            port,
            session: String::new(),
        };
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium_binary(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1366,768",
                         "--lang=fr-FR", "--no-first-run"]
            }
        }}});
        let v = b.call("POST", "/session", Some(caps));
        b.session = v["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        b
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let a = request(
            self.port,
            method,
            path,
            &format!("127.0.0.1:{}", self.port),
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        );
        let v: Value = serde_json::from_slice(&a.body)
            .unwrap_or_else(|_| panic!("chromedriver said: {}", a.text()));
        if a.status >= 400 {
            panic!("WebDriver {method} {path}: {} {v}", a.status);
        }
        v["value"].clone()
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", &self.s("/url"), Some(json!({ "url": url })));
    }

    pub fn url(&self) -> String {
        self.call("GET", &self.s("/url"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub fn source(&self) -> String {
        self.call("GET", &self.s("/source"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub fn title(&self) -> String {
        self.call("GET", &self.s("/title"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// The element a CSS selector finds (panics if none).
    pub fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            &self.s("/element"),
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_object()
            .and_then(|o| o.iter().find(|(k, _)| k.starts_with(ELEMENT_KEY)))
            .and_then(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("{css} : {v}"))
            .to_string()
    }

    pub fn click(&self, element: &str) {
        self.call(
            "POST",
            &self.s(&format!("/element/{element}/click")),
            Some(json!({})),
        );
    }

    pub fn clear(&self, element: &str) {
        self.call(
            "POST",
            &self.s(&format!("/element/{element}/clear")),
            Some(json!({})),
        );
    }

    pub fn type_text(&self, element: &str, text: &str) {
        self.call(
            "POST",
            &self.s(&format!("/element/{element}/value")),
            Some(json!({ "text": text })),
        );
    }

    pub fn attribute(&self, element: &str, name: &str) -> Option<String> {
        self.call(
            "GET",
            &self.s(&format!("/element/{element}/attribute/{name}")),
            None,
        )
        .as_str()
        .map(str::to_string)
    }

    pub fn text_of(&self, element: &str) -> String {
        self.call("GET", &self.s(&format!("/element/{element}/text")), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Presses a key (`\u{E004}` is Tab) in the page.
    pub fn press(&self, key: &str) {
        self.call(
            "POST",
            &self.s("/actions"),
            Some(
                json!({"actions": [{"type": "key", "id": "clavier", "actions": [
                    {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
                ]}]}),
            ),
        );
    }

    /// The element that has the keyboard focus.
    pub fn active(&self) -> String {
        let v = self.call("GET", &self.s("/element/active"), None);
        v.as_object()
            .and_then(|o| o.iter().find(|(k, _)| k.starts_with(ELEMENT_KEY)))
            .and_then(|(_, v)| v.as_str())
            .unwrap_or("")
            .to_string()
    }

    /// A PNG of the window, saved at `path`.
    pub fn screenshot(&self, path: &Path) {
        let b64 = self.call("GET", &self.s("/screenshot"), None);
        std::fs::write(path, base64(b64.as_str().unwrap_or(""))).unwrap();
    }

    /// The page as printed (A4, PDF), saved at `path`.
    pub fn print(&self, path: &Path) {
        let b64 = self.call("POST", &self.s("/print"), Some(json!({})));
        std::fs::write(path, base64(b64.as_str().unwrap_or(""))).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = request(
                self.port,
                "DELETE",
                &format!("/session/{}", self.session),
                &format!("127.0.0.1:{}", self.port),
                &[],
                b"",
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn chromium_binary() -> String {
    for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(p).exists() {
            return p.to_string();
        }
    }
    "chromium".into()
}

fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
