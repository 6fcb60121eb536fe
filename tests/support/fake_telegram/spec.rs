//! The Bot API spec (`tests/data/botapi-methods.json`): every call is checked against it, and method
//! names are matched case-insensitively as Telegram does.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::St;
use super::server::Reply;

const METHODS_JSON: &str = include_str!("../../data/botapi-methods.json");

impl St {
    /// Records spec violations; answers 404 for an unknown method and 400 for a missing
    /// required parameter.
    pub(super) fn spec_check(
        &mut self,
        method: &str,
        params: &Map<String, Value>,
    ) -> Option<Reply> {
        let Some(fields) = spec().get(&method.to_ascii_lowercase()).map(|(_, f)| f) else {
            self.violations
                .push(format!("{method}: no such Bot API method"));
            return Some(Reply::err(404, "Not Found"));
        };
        for key in params.keys() {
            if !fields.iter().any(|(name, _)| name == key) {
                self.violations
                    .push(format!("{method}: unknown parameter `{key}`"));
            }
        }
        let missing: Vec<&str> = fields
            .iter()
            .filter(|(name, required)| *required && params.get(name).is_none_or(Value::is_null))
            .map(|(name, _)| name.as_str())
            .collect();
        if missing.is_empty() {
            return None;
        }
        for name in &missing {
            self.violations
                .push(format!("{method}: missing required parameter `{name}`"));
        }
        Some(match missing[0] {
            "text" => Reply::bad("message text is empty"),
            name => Reply::bad(format!("{name} is empty")),
        })
    }
}

/// lowercase method name -> (canonical name, [(parameter, required)])
type Spec = HashMap<String, (String, Vec<(String, bool)>)>;

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let v: Value = serde_json::from_str(METHODS_JSON)
            .expect("tests/data/botapi-methods.json is valid JSON");
        let methods = v
            .get("methods")
            .and_then(Value::as_object)
            .expect("botapi-methods.json has \"methods\"");
        methods
            .iter()
            .map(|(name, fields)| {
                let fields = fields
                    .as_object()
                    .map(|f| {
                        f.iter()
                            .map(|(p, d)| {
                                (
                                    p.clone(),
                                    d.get("required").and_then(Value::as_bool).unwrap_or(false),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                (name.to_ascii_lowercase(), (name.clone(), fields))
            })
            .collect()
    })
}

pub(super) fn canonical_method(name: &str) -> Option<String> {
    spec()
        .get(&name.to_ascii_lowercase())
        .map(|(n, _)| n.clone())
}
