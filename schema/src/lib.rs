//! The JSON Schemas of the `alliance` crate's wire types, generated from the types themselves
//! (`schemars`, the library's `schema` feature) and committed next to this crate's manifest as
//! `<name>.schema.json`. `cargo run -p alliance-schema` writes them; the tests fail when a
//! committed file is stale and validate real documents against each.
//!
//! A schema describes the JSON in one direction: what the crate reads (an instrument
//! definition, a response, session or course record, a visit, a course) or what it writes (a score, a session
//! report, a monitor snapshot, an error report). Where the app picks a label type for a
//! monitored score, the schemas use a string.

use alliance::monitor::{Alert, InstrumentConfig, MonitorSnapshot, SessionReport, Visit};
use alliance::{
    Course, CourseRecord, ErrorReport, Instrument, Response, ResponseRecord, Score, SessionRecord,
};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

/// Which way a schema describes the JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// What the crate accepts (deserializes).
    Read,
    /// What the crate writes (serializes).
    Write,
}

/// One committed schema: its file stem, the direction and the schema.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file stem: the schema is `<name>.schema.json`.
    pub name: &'static str,
    /// Which way it describes the JSON.
    pub direction: Direction,
    /// The schema (JSON Schema 2020-12).
    pub schema: Schema,
}

fn entry<T: JsonSchema>(name: &'static str, direction: Direction) -> Entry {
    let settings = SchemaSettings::draft2020_12();
    let settings = match direction {
        Direction::Read => settings.for_deserialize(),
        Direction::Write => settings.for_serialize(),
    };
    let mut schema = settings.into_generator().into_root_schema_for::<T>();
    if let Some(object) = schema.as_object_mut() {
        let mut root = serde_json::Value::Object(std::mem::take(object));
        prose(&mut root);
        if let serde_json::Value::Object(map) = root {
            *object = map;
        }
    }
    Entry {
        name,
        direction,
        schema,
    }
}

/// Keeps the prose of every description: the doc comments' examples and headings are for
/// Rust readers, and a schema should not change when an example does.
fn prose(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    serde_json::Value::String(text) if key == "description" => {
                        let end = text.find("\n# ").unwrap_or(text.len());
                        let end = text[..end].find("\n```").unwrap_or(end);
                        *text = text[..end].trim_end().to_owned();
                    }
                    _ => prose(v),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(prose),
        _ => {}
    }
}

/// Every wire type's schema, in a fixed order.
///
/// # Example
/// ```
/// let names: Vec<&str> = alliance_schema::all().iter().map(|e| e.name).collect();
/// assert!(names.contains(&"response_record"));
/// ```
pub fn all() -> Vec<Entry> {
    use Direction::{Read, Write};
    vec![
        entry::<Instrument>("instrument", Read),
        entry::<ResponseRecord>("response_record", Read),
        entry::<Response>("response", Read),
        entry::<Visit>("visit", Read),
        entry::<Course>("course", Read),
        entry::<SessionRecord>("session_record", Read),
        entry::<CourseRecord>("course_record", Read),
        entry::<Score>("score", Write),
        entry::<Alert<String>>("alert", Write),
        entry::<SessionReport<String>>("session_report", Write),
        entry::<MonitorSnapshot<String>>("monitor_snapshot", Write),
        entry::<InstrumentConfig>("instrument_config", Write),
        entry::<ErrorReport<'static>>("error_report", Write),
    ]
}

/// The committed text of a schema: pretty JSON with a final newline.
///
/// # Errors
/// Only if `serde_json` cannot write the schema (it always can).
pub fn text(entry: &Entry) -> serde_json::Result<String> {
    Ok(serde_json::to_string_pretty(&entry.schema)? + "\n")
}

/// Where the committed schemas live: next to this crate's manifest.
pub fn dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
