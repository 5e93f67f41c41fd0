//! The streaming monitor as a Python class: sessions pushed one at a time, the alerts each
//! raises as dicts, and its state saved to a JSON string and restored.

use std::fmt;

use alliance::Date;
use alliance::monitor::{self, MonitorConfig, MonitorSnapshot, Visit};
use alliance::trend::{DivergenceRule, PcomsRule, SuddenDropRule};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use serde::{Deserialize, Serialize};

use crate::convert::to_plain;
use crate::errors::{self, IntoPyResult};
use crate::scoring;

/// The longest key (in bytes) a monitor can carry.
const KEY_CAPACITY: usize = 64;

/// The label of the monitored score: a short string kept inline, so that it is `Copy` as the
/// crate's monitor requires.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// Bytes used.
    len: u8,
    /// UTF-8 bytes, zero-padded.
    bytes: [u8; KEY_CAPACITY],
}

impl Key {
    /// The key, if it fits.
    fn new(text: &str) -> Option<Key> {
        let len = u8::try_from(text.len())
            .ok()
            .filter(|&n| usize::from(n) <= KEY_CAPACITY)?;
        let mut bytes = [0u8; KEY_CAPACITY];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Some(Key { len, bytes })
    }

    /// The key as text.
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl Serialize for Key {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        let text = String::deserialize(d)?;
        Key::new(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("a key of at most {KEY_CAPACITY} bytes"))
        })
    }
}

/// What a monitor was built from: enough to build the same configuration again on restore.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Settings {
    /// A catalog instrument whose published numbers configure every rule.
    instrument: Option<String>,
    /// The reference SD that switches on ruptures, CUSUM and EWMA.
    reference_sd: Option<f64>,
    /// Ruptures on (with a reference SD).
    ruptures: bool,
    /// CUSUM on (with a reference SD).
    cusum: bool,
    /// EWMA on (with a reference SD).
    ewma: bool,
    /// Sudden drops: the minimum drop.
    sudden_drop: Option<f64>,
    /// Sudden drops: the scale's minimum.
    scale_min: f64,
    /// PCOMS: the cutoff.
    pcoms_cutoff: Option<f64>,
    /// PCOMS: the minimum drop from the previous session.
    pcoms_drop: Option<f64>,
    /// Therapist-client divergence bound.
    divergence_bound: Option<f64>,
}

impl Settings {
    /// The monitor configuration these settings describe, checked by the crate's builders.
    fn config(&self) -> alliance::Result<MonitorConfig> {
        if let Some(id) = &self.instrument {
            let instrument: alliance::Instrument = id.parse()?;
            return Ok(MonitorConfig::for_instrument(&instrument)?.config);
        }
        let mut b = MonitorConfig::builder();
        if let Some(sd) = self.reference_sd {
            b = b.reference_sd(sd);
        }
        if !self.ruptures {
            b = b.without_ruptures();
        }
        if !self.cusum {
            b = b.without_cusum();
        }
        if !self.ewma {
            b = b.without_ewma();
        }
        if let Some(d) = self.sudden_drop {
            b = b.sudden_drops(
                SuddenDropRule::builder()
                    .min_drop(d)
                    .scale_min(self.scale_min)
                    .build()?,
            );
        }
        if let Some(c) = self.pcoms_cutoff {
            let mut p = PcomsRule::builder().cutoff(c);
            if let Some(d) = self.pcoms_drop {
                p = p.min_drop(d);
            }
            b = b.pcoms(p.build()?);
        }
        if let Some(bound) = self.divergence_bound {
            b = b.divergence(DivergenceRule::builder().bound(bound).build()?);
        }
        b.build()
    }
}

/// What `Monitor.snapshot()` writes: the settings and the crate's snapshot.
#[derive(Debug, Serialize, Deserialize)]
struct Saved {
    /// Always `alliance.Monitor`.
    kind: String,
    /// The settings the monitor was built from.
    settings: Settings,
    /// The crate's snapshot (format `alliance::monitor::SNAPSHOT_FORMAT`).
    snapshot: MonitorSnapshot<Key>,
}

/// The name written in a saved monitor.
const SAVED_KIND: &str = "alliance.Monitor";

/// A streaming alliance monitor for one score.
#[pyclass(module = "alliance", name = "Monitor")]
#[derive(Debug)]
pub struct Monitor {
    /// The crate's monitor.
    inner: monitor::Monitor<Key>,
    /// What it was built from.
    settings: Settings,
    /// Notes on where an instrument's numbers came from (`for_instrument`).
    basis: Vec<String>,
}

/// The key, or `InputError` (`input_key`).
fn key(py: Python<'_>, text: &str) -> PyResult<Key> {
    Key::new(text).ok_or_else(|| {
        errors::input(
            py,
            "input_key",
            format!(
                "a monitor's key is at most {KEY_CAPACITY} bytes, not {}",
                text.len()
            ),
        )
    })
}

/// An alert as a dict: the crate's serialized alert, plus `code` (the rule's stable code)
/// and `message` (its one-line text).
fn alert_dict<'py>(py: Python<'py>, alert: &monitor::Alert<Key>) -> PyResult<Bound<'py, PyAny>> {
    let d = to_plain(py, alert)?;
    if let Ok(dict) = d.cast::<PyDict>() {
        dict.set_item("code", alert.kind.code())?;
        dict.set_item("message", alert.to_string())?;
    }
    Ok(d)
}

#[pymethods]
impl Monitor {
    /// A monitor. `reference_sd` switches on ruptures, the lower CUSUM and the EWMA chart
    /// (each can be switched off); `sudden_drop`, `pcoms_cutoff` and `divergence_bound` add
    /// the rules whose thresholds belong to an instrument.
    #[new]
    #[pyo3(signature = (reference_sd = None, *, key = "score", ruptures = true, cusum = true, ewma = true, sudden_drop = None, scale_min = 0.0, pcoms_cutoff = None, pcoms_drop = None, divergence_bound = None))]
    #[allow(clippy::too_many_arguments)] // mirrors the Python signature
    fn new(
        py: Python<'_>,
        reference_sd: Option<f64>,
        key: &str,
        ruptures: bool,
        cusum: bool,
        ewma: bool,
        sudden_drop: Option<f64>,
        scale_min: f64,
        pcoms_cutoff: Option<f64>,
        pcoms_drop: Option<f64>,
        divergence_bound: Option<f64>,
    ) -> PyResult<Monitor> {
        let settings = Settings {
            instrument: None,
            reference_sd,
            ruptures,
            cusum,
            ewma,
            sudden_drop,
            scale_min,
            pcoms_cutoff,
            pcoms_drop,
            divergence_bound,
        };
        let config = settings.config().py(py)?;
        Ok(Monitor {
            inner: monitor::Monitor::new(self::key(py, key)?, config),
            settings,
            basis: Vec::new(),
        })
    }

    /// A monitor configured from a catalog instrument's published numbers.
    #[staticmethod]
    #[pyo3(signature = (instrument, *, key = "score"))]
    fn for_instrument(py: Python<'_>, instrument: &str, key: &str) -> PyResult<Monitor> {
        let inst = scoring::instrument(py, instrument)?;
        let derived = MonitorConfig::for_instrument(&inst).py(py)?;
        let settings = Settings {
            instrument: Some(inst.id().to_owned()),
            reference_sd: None,
            ruptures: true,
            cusum: true,
            ewma: true,
            sudden_drop: None,
            scale_min: 0.0,
            pcoms_cutoff: None,
            pcoms_drop: None,
            divergence_bound: None,
        };
        Ok(Monitor {
            inner: monitor::Monitor::new(self::key(py, key)?, derived.config),
            settings,
            basis: derived.basis.iter().map(ToString::to_string).collect(),
        })
    }

    /// Feeds one session and returns the alerts it raised, as dicts. `time` defaults to the
    /// session count + 1; with `session` (the clinic's session number) and optionally
    /// `date` (`YYYY-MM-DD`), the session is fed by number and date instead. `therapist` is
    /// the therapist's score for the divergence rule.
    #[pyo3(signature = (score, time = None, *, therapist = None, session = None, date = None))]
    fn push<'py>(
        &mut self,
        py: Python<'py>,
        score: f64,
        time: Option<f64>,
        therapist: Option<f64>,
        session: Option<u32>,
        date: Option<&str>,
    ) -> PyResult<Bound<'py, PyList>> {
        let alerts = match (session, time) {
            (Some(number), None) => {
                let mut visit = Visit::new(number);
                if let Some(d) = date {
                    visit = visit.on(d.parse::<Date>().py(py)?);
                }
                self.inner.push_visit(visit, score, therapist).py(py)?
            }
            (None, t) => {
                if date.is_some() {
                    return Err(errors::input(
                        py,
                        "input_option",
                        "a date needs the session's number (session=...)",
                    ));
                }
                let t = t.unwrap_or((self.inner.sessions() + 1) as f64);
                let mut out = Vec::new();
                self.inner.push_into(t, score, therapist, &mut out).py(py)?;
                out
            }
            (Some(_), Some(_)) => {
                return Err(errors::input(
                    py,
                    "input_option",
                    "give a session's time or its number (session=...), not both",
                ));
            }
        };
        let list = PyList::empty(py);
        for a in &alerts {
            list.append(alert_dict(py, a)?)?;
        }
        Ok(list)
    }

    /// Sessions fed so far.
    #[getter]
    fn sessions(&self) -> usize {
        self.inner.sessions()
    }

    /// The monitored score's label.
    #[getter]
    fn key(&self) -> String {
        self.inner.key().as_str().to_owned()
    }

    /// The rules applied, with their parameters, as a dict.
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_plain(py, self.inner.config())
    }

    /// For a monitor made by `for_instrument`: where each rule's number came from, or why
    /// the rule is off.
    #[getter]
    fn basis(&self) -> Vec<String> {
        self.basis.clone()
    }

    /// The monitor's state as a JSON string (small, not growing with the sessions).
    fn snapshot(&self) -> PyResult<String> {
        let saved = Saved {
            kind: SAVED_KIND.to_owned(),
            settings: self.settings.clone(),
            snapshot: self.inner.snapshot(),
        };
        serde_json::to_string(&saved)
            .map_err(|e| Python::attach(|py| errors::input(py, "input_snapshot", e.to_string())))
    }

    /// A monitor restored from `snapshot()`'s JSON: it goes on exactly as the one saved.
    #[staticmethod]
    fn restore(py: Python<'_>, snapshot: &str) -> PyResult<Monitor> {
        let saved: Saved = serde_json::from_str(snapshot).map_err(|e| {
            errors::input(
                py,
                "input_snapshot",
                format!("not a saved alliance.Monitor: {e}"),
            )
        })?;
        if saved.kind != SAVED_KIND {
            return Err(errors::input(
                py,
                "input_snapshot",
                format!("a saved '{}', not an alliance.Monitor", saved.kind),
            ));
        }
        let config = saved.settings.config().py(py)?;
        let basis = match &saved.settings.instrument {
            Some(id) => {
                let inst = scoring::instrument(py, id)?;
                MonitorConfig::for_instrument(&inst)
                    .py(py)?
                    .basis
                    .iter()
                    .map(ToString::to_string)
                    .collect()
            }
            None => Vec::new(),
        };
        Ok(Monitor {
            inner: monitor::Monitor::restore(saved.snapshot, config).py(py)?,
            settings: saved.settings,
            basis,
        })
    }

    /// Pickles through `snapshot()` and `restore()`.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let restore = slf.get_type().getattr("restore")?;
        let state = slf.borrow().snapshot()?;
        Ok((restore, PyTuple::new(py, [state])?))
    }

    /// `Monitor(key=..., sessions=...)`.
    fn __repr__(&self) -> String {
        format!(
            "Monitor(key={:?}, sessions={})",
            self.inner.key().as_str(),
            self.inner.sessions()
        )
    }
}
