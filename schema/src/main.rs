//! Writes every wire type's JSON Schema to `schema/<name>.schema.json`.

use std::process::ExitCode;

fn main() -> ExitCode {
    for entry in alliance_schema::all() {
        let path = alliance_schema::dir().join(format!("{}.schema.json", entry.name));
        let written = alliance_schema::text(&entry)
            .map_err(|e| e.to_string())
            .and_then(|t| std::fs::write(&path, t).map_err(|e| e.to_string()));
        match written {
            Ok(()) => println!("wrote {}", path.display()),
            Err(e) => {
                eprintln!("cannot write {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
