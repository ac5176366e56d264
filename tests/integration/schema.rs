//! The committed schema is what `reportgen schema` prints, and it describes every key.

use serde_json::Value;

#[test]
fn committed_schema_is_current() {
    let committed =
        std::fs::read_to_string(crate::root().join("schema/report.schema.json")).expect("schema/report.schema.json is committed");
    let current = reportgen::check::schema::schema_text();
    assert!(committed == current, "schema/report.schema.json is stale: run `cargo run --release -- schema > schema/report.schema.json`");
}

#[test]
fn binary_prints_the_schema() {
    let out = crate::bin().arg("schema").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), reportgen::check::schema::schema_text());
}

/// Every property, at every depth, has a Chinese title (editors show it on hover).
#[test]
fn every_property_has_a_chinese_title() {
    let schema = reportgen::check::schema::schema();
    let mut missing = Vec::new();
    let mut count = 0;
    fn walk(v: &Value, path: &str, missing: &mut Vec<String>, count: &mut usize) {
        if let Some(props) = v.get("properties").and_then(Value::as_object) {
            for (k, p) in props {
                *count += 1;
                let title = p.get("title").and_then(Value::as_str).unwrap_or("");
                if !title.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
                    missing.push(format!("{path}/{k}"));
                }
                walk(p, &format!("{path}/{k}"), missing, count);
            }
        }
        if let Some(defs) = v.get("definitions").and_then(Value::as_object) {
            for (k, d) in defs {
                walk(d, &format!("#{k}"), missing, count);
            }
        }
    }
    walk(&schema, "", &mut missing, &mut count);
    assert!(count > 60, "expected the whole model, found {count} properties");
    assert!(missing.is_empty(), "properties without a Chinese title: {missing:?}");
}

/// Unknown keys are errors everywhere: every object in the schema closes its properties.
#[test]
fn every_object_denies_unknown_keys() {
    let schema = reportgen::check::schema::schema();
    let defs = schema["definitions"].as_object().unwrap();
    for (name, d) in defs {
        if d.get("properties").is_some() {
            assert_eq!(d["additionalProperties"], Value::Bool(false), "{name} accepts unknown keys");
        }
    }
    assert_eq!(schema["additionalProperties"], Value::Bool(false));
}
