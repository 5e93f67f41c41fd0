//! Scores the bundled sample caseload and prints one table per dyad: each session's
//! four-element profile from the client's WAI-SR, the client's session scale with its cutoff
//! flag, and the therapist's HAq-II.
//!
//! Run with `cargo run --example quickstart`.

use alliance::{Element, Rater, Score, Session, sample, score};
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let caseload = sample::caseload()?;
    println!(
        "Alliance quick start: {} dyads from the bundled sample\n",
        caseload.len()
    );
    println!("Element profile from the client's WAI-SR, 0-100 (POMP):");
    for e in Element::ALL {
        println!("  {:<4} {:<27} {}", short(e), e.name(), e.description());
    }
    println!();

    let mut flagged_sessions = 0;
    for course in &caseload {
        println!(
            "Client {} with therapist {}",
            course.client(),
            course.therapist()
        );
        println!(
            "  {:>3}  {:<10}  {:>5} {:>5} {:>5} {:>5}  {:<28}  {:>6}  {:>7}  flags",
            "#",
            "date",
            short(Element::ALL[0]),
            short(Element::ALL[1]),
            short(Element::ALL[2]),
            short(Element::ALL[3]),
            "weakest element",
            "VAS-4",
            "HAq-II T",
        );
        for session in course.sessions() {
            let wai = scored(session, Rater::Client, "WAI-SR")?;
            let vas = scored(session, Rater::Client, "VAS-4")?;
            let haq = scored(session, Rater::Therapist, "HAq-II")?;
            let cell = |e: Element| {
                wai.profile
                    .get(e)
                    .map_or_else(|| "-".to_owned(), |s| format!("{:.0}", s.pomp))
            };
            let mut flags: Vec<String> = vas
                .cutoffs
                .iter()
                .filter(|c| c.flagged)
                .map(|c| format!("VAS-4 {} (< {})", c.label, c.threshold))
                .collect();
            if wai.total.prorated {
                flags.push(format!(
                    "WAI-SR prorated ({}/12 answered)",
                    wai.total.answered
                ));
            }
            if haq.total.prorated {
                flags.push(format!("HAq-II T prorated ({}/19)", haq.total.answered));
            }
            if !flags.is_empty() {
                flagged_sessions += 1;
            }
            let date = session.date().map_or_else(String::new, |d| d.to_string());
            let weakest = wai.profile.weakest().map_or("-", Element::name);
            println!(
                "  {:>3}  {:<10}  {:>5} {:>5} {:>5} {:>5}  {:<28}  {:>6.1}  {:>7.0}  {}",
                session.number(),
                date,
                cell(Element::Rapport),
                cell(Element::Goals),
                cell(Element::Expectations),
                cell(Element::Responsibility),
                weakest,
                vas.total.value,
                haq.total.value,
                flags.join("; "),
            );
        }
        println!();
    }
    println!(
        "Low reliability: elements resting on fewer than 3 WAI-SR items ({}) are marked in the \
         profile's low_reliability list.",
        score(
            caseload[0].sessions()[0]
                .response(Rater::Client, "WAI-SR")
                .ok_or("missing WAI-SR")?
        )?
        .profile
        .low_reliability()
        .map(Element::name)
        .collect::<Vec<_>>()
        .join(", ")
    );
    println!("{flagged_sessions} sessions carry at least one flag.");
    assert!(flagged_sessions > 0, "the sample holds flagged sessions");
    Ok(())
}

fn scored(session: &Session, rater: Rater, instrument: &str) -> Result<Score, Box<dyn Error>> {
    let response = session
        .response(rater, instrument)
        .ok_or_else(|| format!("session {} has no {rater} {instrument}", session.number()))?;
    Ok(score(response)?)
}

fn short(e: Element) -> &'static str {
    match e {
        Element::Rapport => "Rapp",
        Element::Goals => "Goal",
        Element::Expectations => "Expt",
        Element::Responsibility => "Resp",
    }
}
