//! The instruments a run knows: the built-in catalog, plus any from a file of the user's own.

use crate::input::Usage;
use alliance::{Instrument, catalog};
use std::path::Path;
use std::rc::Rc;

/// Instruments by id, catalog first.
#[derive(Debug, Clone)]
pub struct Instruments {
    /// Shared, so that a row refers to its instrument without copying it.
    list: Vec<Rc<Instrument>>,
}

/// A file of user instruments: one instrument, or a list under `instruments`.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum UserFile {
    Many { instruments: Vec<Instrument> },
    List(Vec<Instrument>),
    One(Instrument),
}

impl Instruments {
    /// The catalog, plus the instruments in `file` (JSON, or TOML when it ends in `.toml`).
    ///
    /// # Errors
    /// A [`Usage`] error when the file cannot be read or parsed, or reuses an id.
    pub fn load(file: Option<&Path>) -> Result<Instruments, Usage> {
        let mut list: Vec<Rc<Instrument>> = catalog::all().into_iter().map(Rc::new).collect();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Usage(format!("cannot read {}: {e}", path.display())))?;
            let toml = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
            let parsed: UserFile = if toml {
                toml::from_str(&text).map_err(|e| {
                    Usage(format!(
                        "{} is not a valid instrument file: {e}",
                        path.display()
                    ))
                })?
            } else {
                serde_json::from_str(&text).map_err(|e| {
                    Usage(format!(
                        "{} is not a valid instrument file: {e}; see `alliance instruments \
                         --format json` for the shape",
                        path.display()
                    ))
                })?
            };
            let user = match parsed {
                UserFile::Many { instruments } | UserFile::List(instruments) => instruments,
                UserFile::One(i) => vec![i],
            };
            for i in user {
                if list.iter().any(|known| known.id() == i.id()) {
                    return Err(Usage(format!(
                        "{} defines '{}', an id already taken{}; give your instrument an id of its own",
                        path.display(),
                        i.id(),
                        if catalog::by_id(i.id()).is_some() {
                            " by the catalog"
                        } else {
                            ""
                        }
                    )));
                }
                list.push(Rc::new(i));
            }
        }
        Ok(Instruments { list })
    }

    /// The instrument with this id.
    pub fn get(&self, id: &str) -> Option<&Instrument> {
        self.shared(id).map(|i| &**i)
    }

    /// The instrument with this id, shared.
    pub fn shared(&self, id: &str) -> Option<&Rc<Instrument>> {
        self.list.iter().find(|i| i.id() == id)
    }

    /// Every id, in order.
    pub fn ids(&self) -> Vec<&str> {
        self.list.iter().map(|i| i.id()).collect()
    }

    /// Every instrument, in order.
    pub fn all(&self) -> impl Iterator<Item = &Instrument> {
        self.list.iter().map(|i| &**i)
    }
}
