//! The instruments a run knows: the built-in catalog, plus any from a file of the user's own.

use crate::input::Usage;
use alliance::{Instrument, catalog};
use std::path::Path;

/// Instruments by id, catalog first.
#[derive(Debug, Clone)]
pub struct Instruments {
    /// An `Instrument` is shared behind an `Arc`: cloning one copies a pointer.
    list: Vec<Instrument>,
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
        let mut list: Vec<Instrument> = catalog::all();
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
                list.push(i);
            }
        }
        Ok(Instruments { list })
    }

    /// The instrument with this id.
    pub fn get(&self, id: &str) -> Option<&Instrument> {
        self.list.iter().find(|i| i.id() == id)
    }

    /// The position of the instrument with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.list.iter().position(|i| i.id() == id)
    }

    /// As [`Instruments::position`], for an id given as bytes exactly as written, trying the
    /// instrument at `guess` first.
    pub fn position_of_bytes(&self, id: &[u8], guess: usize) -> Option<usize> {
        if self
            .list
            .get(guess)
            .is_some_and(|i| i.id().as_bytes() == id)
        {
            return Some(guess);
        }
        self.list.iter().position(|i| i.id().as_bytes() == id)
    }

    /// The instrument at `position` (from [`Instruments::position`]).
    pub fn at(&self, position: usize) -> &Instrument {
        &self.list[position]
    }

    /// Every id, in order.
    pub fn ids(&self) -> Vec<&str> {
        self.list.iter().map(|i| i.id()).collect()
    }

    /// Every instrument, in order.
    pub fn all(&self) -> impl Iterator<Item = &Instrument> {
        self.list.iter()
    }
}
