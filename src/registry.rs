//! The instruments an app reads data against, by id and version, each checked by its key hash
//! (issue 10's registry): the catalog, plus the app's own.

use crate::error::{Error, Result};
use crate::instrument::{Instrument, InstrumentRef, catalog};
use crate::response::{Rater, Response};
use crate::session::{Course, Date, Session};

/// The instruments data may name: the catalog, plus those the app registers. Data names an
/// instrument by id, version and key hash ([`InstrumentRef`]); resolving it checks all three,
/// so a response stored against one key is never read against another.
///
/// # Example
/// ```
/// use alliance::{Instrument, Rater, Registry, Response, Scale};
/// let mut registry = Registry::with_catalog();
/// let mine = Instrument::builder("CLINIC-3", Scale::likert(1, 5)?, 3).version("2026-01").build()?;
/// registry.register(mine.clone())?;
/// let response = Response::complete(&mine, Rater::Client, &[4.0, 5.0, 3.0])?;
/// let record = response.record(); // names CLINIC-3, 2026-01 and its key hash
/// assert_eq!(registry.response(&record)?, response);
/// // the same id and version with another key is refused
/// let edited = Instrument::builder("CLINIC-3", Scale::likert(1, 5)?, 3).version("2026-01").reverse(&[2]).build()?;
/// assert_eq!(registry.register(edited).unwrap_err().code(), "instrument_conflict");
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Registry {
    instruments: Vec<Instrument>,
}

impl Registry {
    /// The catalog's instruments.
    ///
    /// # Example
    /// ```
    /// let registry = alliance::Registry::with_catalog();
    /// assert!(registry.get("WAI-SR", "1").is_some());
    /// ```
    pub fn with_catalog() -> Registry {
        Registry {
            instruments: catalog::all(),
        }
    }

    /// Adds an instrument of the app's own. Registering the same definition again is a no-op.
    ///
    /// # Errors
    /// [`Error::CatalogIdTaken`] for a catalog id with another definition;
    /// [`Error::InstrumentConflict`] when its id and version are registered with another key.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Instrument, Registry, Scale};
    /// let mut registry = Registry::with_catalog();
    /// assert!(registry.register(catalog::wai_sr()).is_ok()); // already there: nothing to do
    /// let fake = Instrument::builder("WAI-SR", Scale::likert(1, 7)?, 12).build()?;
    /// assert_eq!(registry.register(fake).unwrap_err().code(), "catalog_id_taken");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn register(&mut self, instrument: Instrument) -> Result<()> {
        if let Some(known) = catalog::by_id(instrument.id())
            && known != instrument
        {
            return Err(Error::CatalogIdTaken {
                id: instrument.id().to_owned(),
            });
        }
        match self.get(instrument.id(), instrument.version()) {
            Some(known) if known.key_hash() == instrument.key_hash() => Ok(()),
            Some(_) => Err(Error::InstrumentConflict {
                id: instrument.id().to_owned(),
                version: instrument.version().to_owned(),
            }),
            None => {
                self.instruments.push(instrument);
                Ok(())
            }
        }
    }

    /// The instrument with this id and version, if registered.
    ///
    /// # Example
    /// ```
    /// let registry = alliance::Registry::with_catalog();
    /// assert!(registry.get("ARM-5", "2").is_none());
    /// ```
    pub fn get(&self, id: &str, version: &str) -> Option<&Instrument> {
        self.instruments
            .iter()
            .find(|i| i.id() == id && i.version() == version)
    }

    /// The instrument data names, checked by its key hash.
    ///
    /// # Errors
    /// [`Error::UnknownInstrument`] when no instrument of that id and version is registered;
    /// [`Error::KeyHashMismatch`] when the registered one has another key.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Registry};
    /// let registry = Registry::with_catalog();
    /// let mut named = catalog::wai_sr().reference();
    /// assert!(registry.resolve(&named).is_ok());
    /// named.key_hash = "0000000000000000".into();
    /// assert_eq!(registry.resolve(&named).unwrap_err().code(), "key_hash_mismatch");
    /// ```
    pub fn resolve(&self, named: &InstrumentRef) -> Result<&Instrument> {
        let found =
            self.get(&named.id, &named.version)
                .ok_or_else(|| Error::UnknownInstrument {
                    id: named.id.clone(),
                    version: named.version.clone(),
                })?;
        let hash = found.key_hash();
        if hash != named.key_hash {
            return Err(Error::KeyHashMismatch {
                id: named.id.clone(),
                version: named.version.clone(),
                registered: hash,
                named: named.key_hash.clone(),
            });
        }
        Ok(found)
    }

    /// The response a record describes, resolved and checked as [`Response::new`] checks.
    ///
    /// # Errors
    /// As [`Registry::resolve`] and [`Response::new`].
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Rater, Registry, Response};
    /// let r = Response::complete(&catalog::arm_5(), Rater::Therapist, &[6.0, 5.0, 2.0, 6.0, 7.0])?;
    /// assert_eq!(Registry::with_catalog().response(&r.record())?, r);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn response(&self, record: &ResponseRecord) -> Result<Response> {
        Response::new(
            self.resolve(&record.instrument)?,
            record.rater,
            &record.answers,
        )
    }

    /// The session a record describes, every response resolved and checked.
    ///
    /// # Errors
    /// As [`Session::new`], [`Registry::response`] and [`Session::add`].
    ///
    /// # Example
    /// ```
    /// use alliance::{sample, Registry};
    /// let caseload = sample::caseload()?;
    /// let session = &caseload[0].sessions()[0];
    /// assert_eq!(&Registry::with_catalog().session(&session.record())?, session);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn session(&self, record: &SessionRecord) -> Result<Session> {
        let mut session = Session::new(&record.client, &record.therapist, record.number)?;
        if let Some(date) = record.date {
            session = session.with_date(date);
        }
        for r in &record.responses {
            session.add(self.response(r)?)?;
        }
        Ok(session)
    }

    /// The course a record describes, every session resolved and checked.
    ///
    /// # Errors
    /// As [`Registry::session`] and [`Course::from_sessions`].
    ///
    /// # Example
    /// ```
    /// use alliance::{sample, Registry};
    /// let course = &sample::caseload()?[1];
    /// assert_eq!(&Registry::with_catalog().course(&course.record())?, course);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn course(&self, record: &CourseRecord) -> Result<Course> {
        let sessions = record
            .sessions
            .iter()
            .map(|s| self.session(s))
            .collect::<Result<Vec<_>>>()?;
        Course::from_sessions(&record.client, &record.therapist, sessions)
    }
}

/// A session as data keeps it: its responses as [`ResponseRecord`]s. Read it back with
/// [`Registry::session`].
///
/// # Example
/// ```
/// let caseload = alliance::sample::caseload()?;
/// let session = &caseload[0].sessions()[0];
/// assert_eq!(session.record().responses.len(), session.responses().len());
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct SessionRecord {
    /// The client's id.
    pub client: String,
    /// The therapist's id.
    pub therapist: String,
    /// The session number.
    pub number: u32,
    /// Its date, when known.
    #[cfg_attr(feature = "serde", serde(default))]
    pub date: Option<Date>,
    /// Its responses, each naming its instrument by reference.
    pub responses: Vec<ResponseRecord>,
}

/// A course as data keeps it: its sessions as [`SessionRecord`]s (a WAI-SR response takes
/// about 150 bytes instead of 900). Read it back with [`Registry::course`].
///
/// # Example
/// ```
/// let course = &alliance::sample::caseload()?[0];
/// assert_eq!(course.record().sessions.len(), course.sessions().len());
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CourseRecord {
    /// The client's id.
    pub client: String,
    /// The therapist's id.
    pub therapist: String,
    /// The sessions in order.
    pub sessions: Vec<SessionRecord>,
}

impl Session {
    /// The session as a [`SessionRecord`]: its instruments by reference.
    ///
    /// # Example
    /// ```
    /// let caseload = alliance::sample::caseload()?;
    /// let session = &caseload[0].sessions()[2];
    /// assert_eq!(session.record().number, session.number());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn record(&self) -> SessionRecord {
        SessionRecord {
            client: self.client().to_owned(),
            therapist: self.therapist().to_owned(),
            number: self.number(),
            date: self.date(),
            responses: self.responses().iter().map(Response::record).collect(),
        }
    }
}

impl Course {
    /// The course as a [`CourseRecord`]: its instruments by reference.
    ///
    /// # Example
    /// ```
    /// let course = &alliance::sample::caseload()?[0];
    /// assert_eq!(course.record().client, course.client());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn record(&self) -> CourseRecord {
        CourseRecord {
            client: self.client().to_owned(),
            therapist: self.therapist().to_owned(),
            sessions: self.sessions().iter().map(Session::record).collect(),
        }
    }
}

/// A response as data keeps it: its instrument named by id, version and key hash instead of
/// its whole definition, the rater and the answers in item order. Read it back with
/// [`Registry::response`].
///
/// With feature `serde` it serializes and deserializes (about 150 bytes for a WAI-SR response,
/// against about 900 with the instrument embedded).
///
/// # Example
/// ```
/// use alliance::{catalog, Rater, Response};
/// let r = Response::complete(&catalog::wai_sr(), Rater::Client, &[4.0; 12])?;
/// let record = r.record();
/// assert_eq!(record.instrument.id, "WAI-SR");
/// assert_eq!(record.answers.len(), 12);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ResponseRecord {
    /// The instrument.
    pub instrument: InstrumentRef,
    /// Who answered.
    pub rater: Rater,
    /// The answers in item order, `null` for a missing one.
    pub answers: Vec<Option<f64>>,
}

impl Response {
    /// The response as a [`ResponseRecord`]: its instrument by reference.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Rater, Response};
    /// let r = Response::complete(&catalog::arm_5(), Rater::Client, &[6.0; 5])?;
    /// assert_eq!(r.record().instrument, catalog::arm_5().reference());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn record(&self) -> ResponseRecord {
        ResponseRecord {
            instrument: self.instrument().reference(),
            rater: self.rater(),
            answers: self.answers().to_vec(),
        }
    }
}
