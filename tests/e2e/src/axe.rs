//! The accessibility check: axe-core (from npm, `tests/e2e/package.json`; `make test-e2e`
//! runs `npm ci` when it is missing) injected into the page as it is, run against the
//! WCAG 2.0–2.2 A and AA rules; serious and critical violations fail the test.

use std::path::PathBuf;
use std::sync::OnceLock;

use thirtyfour::prelude::*;

use crate::Browser;

/// The rule tags run: WCAG 2.0, 2.1 and 2.2, levels A and AA.
const TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']";

fn axe_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path).unwrap_or_else(|error| {
            panic!(
                "{}: {error}; run `npm ci --prefix tests/e2e` (make test-e2e does)",
                path.display()
            )
        })
    })
}

/// Runs axe-core on the page as it is now and fails, naming `screen`, with every
/// serious or critical violation: its rule, impact, help text and the elements.
pub async fn check(browser: &Browser, screen: &str) {
    let violations = violations(browser)
        .await
        .unwrap_or_else(|error| panic!("{screen}: axe-core did not run: {error}"));
    let grave: Vec<String> = violations
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .map(|v| {
            let targets: Vec<String> = v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|node| {
                    let summary = node["failureSummary"]
                        .as_str()
                        .unwrap_or_default()
                        .replace('\n', " ");
                    format!("      {} — {summary}", node["target"])
                })
                .collect();
            format!(
                "  {} ({}): {}\n{}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or("?"),
                targets.join("\n")
            )
        })
        .collect();
    assert!(
        grave.is_empty(),
        "{screen}: {} serious or critical accessibility violation(s):\n{}",
        grave.len(),
        grave.join("\n")
    );
}

/// axe-core's violations on the page as it is now, all impacts.
pub async fn violations(browser: &Browser) -> WebDriverResult<Vec<serde_json::Value>> {
    let loaded = browser
        .driver
        .execute("return typeof window.axe === 'object';", vec![])
        .await?;
    if loaded.json() != &serde_json::Value::Bool(true) {
        browser.driver.execute(axe_source(), vec![]).await?;
    }
    let script = format!(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {{ runOnly: {{ type: 'tag', values: {TAGS} }}, resultTypes: ['violations'] }})
            .then(results => done(results.violations))
            .catch(error => done({{ error: String(error) }}));"
    );
    let answer = browser.driver.execute_async(&script, vec![]).await?;
    match answer.json() {
        serde_json::Value::Array(violations) => Ok(violations.clone()),
        other => panic!("axe-core failed: {other}"),
    }
}
