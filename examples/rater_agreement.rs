//! Client-therapist agreement across the bundled sample caseload: do therapist and client see
//! the alliance the same way? Both rate the HAq-II after every session (30 paired sessions).
//!
//! Prints ICC(A,1) and Lin's concordance on the total (POMP), Bland-Altman limits, quadratic
//! weighted kappa on the item answers, Cronbach's alpha of the client form, and the signed
//! discrepancy per alliance element with a reliable-difference flag.
//!
//! Run with `cargo run --example rater_agreement`.

use alliance::agreement::{
    Categories, IccForm, IccUnit, LimitMultiplier, Weighting, bland_altman, cohen_kappa,
    concordance, discrepancy, icc,
};
use alliance::caseload::{ScoreOf, pairs};
use alliance::reliability::{cronbach_alpha, standard_error_of_measurement};
use alliance::{Element, Level, Rater, sample};
use alliance::{Outcome, Paired, Ratings};
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let caseload = sample::caseload()?;
    let level = Level::NINETY_FIVE;
    let haq = alliance::catalog::haq_ii();
    let total = pairs(&caseload, &haq, &haq, &ScoreOf::TotalPomp)?;
    println!(
        "Client vs therapist, HAq-II total (POMP 0-100), {} paired sessions of {} dyads\n",
        total.client.len(),
        caseload.len()
    );

    // One input for every two-rater statistic: client first, therapist second.
    let paired = Paired::new(&total.client, &total.therapist)?;

    // Absolute agreement is the meaningful ICC form for client vs therapist.
    let a1 = icc(
        &paired.to_ratings()?,
        IccForm::TwoWayAgreement,
        IccUnit::Single,
        level,
    )?;
    match (a1.coefficient, a1.ci, a1.f, a1.p) {
        (
            Outcome::Defined(value),
            Outcome::Defined(ci),
            Outcome::Defined(f),
            Outcome::Defined(p),
        ) => {
            println!(
                "  {} ({}): {:.3}  95% CI [{:.3}, {:.3}]  F({:.0}, {:.0}) = {:.2}, p = {:.2e}",
                a1.name, a1.shrout_fleiss, value, ci.lower, ci.upper, a1.df1, a1.df2, f, p
            );
        }
        _ => println!(
            "  ICC(A,1) undefined on {} sessions: {:?}",
            a1.n, a1.coefficient
        ),
    }
    let ccc = concordance(&paired, level)?;
    if let (Outcome::Defined(c), Outcome::Defined(ci), Outcome::Defined(asymptotic)) =
        (ccc.coefficient, ccc.ci, ccc.ci_asymptotic)
    {
        println!(
            "  Lin's concordance: {c:.3}  95% CI [{:.3}, {:.3}] (Fisher z; asymptotic [{:.3}, {:.3}])",
            ci.lower, ci.upper, asymptotic.lower, asymptotic.upper
        );
    }
    let ba = bland_altman(&paired, LimitMultiplier::default(), level)?;
    println!(
        "  Bland-Altman: bias (client - therapist) {:+.2}, limits of agreement [{:.2}, {:.2}]",
        ba.bias, ba.lower_limit, ba.upper_limit
    );

    // Kappa on the items: every item answer of client and therapist, paired.
    let (mut client_items, mut therapist_items) = (Vec::new(), Vec::new());
    for session in caseload.iter().flat_map(|c| c.sessions()) {
        let (Some(c), Some(t)) = (
            session.response(Rater::Client, "HAq-II"),
            session.response(Rater::Therapist, "HAq-II"),
        ) else {
            continue;
        };
        client_items.extend_from_slice(c.answers());
        therapist_items.extend_from_slice(t.answers());
    }
    let categories = Categories::range(1, 6)?;
    let item_pairs = Paired::with_missing(&client_items, &therapist_items)?;
    let k = cohen_kappa(&item_pairs, &categories, &Weighting::Quadratic, level)?;
    if let (Some(kappa), Some(ci)) = (k.coefficient.value(), k.ci.value()) {
        println!(
            "  quadratic weighted kappa on {} item pairs ({} with a missing answer dropped): {:.3}  \
             95% CI [{:.3}, {:.3}]",
            k.n, k.dropped, kappa, ci.lower, ci.upper
        );
    }

    // Reliability of the client form, for the standard error of measurement.
    let client_rows: Vec<Option<f64>> = caseload
        .iter()
        .flat_map(|c| c.sessions())
        .filter_map(|s| s.response(Rater::Client, "HAq-II"))
        .flat_map(|r| r.answers().iter().copied())
        .collect();
    let items = Ratings::with_missing(client_rows.len() / 19, 19, client_rows)?;
    let alpha = cronbach_alpha(&items, level)?
        .coefficient
        .value()
        .ok_or("alpha is undefined")?;
    println!("  Cronbach's alpha of the client HAq-II: {alpha:.3}\n");

    println!("Discrepancy per element (client - therapist, POMP):");
    println!(
        "  {:<27} {:>6} {:>6} {:>8}  {:>9} {:>9}  {:>10}",
        "element", "mean D", "|D|", "bound", "client >", "ther. >", "beyond bound"
    );
    let mut any_beyond = 0;
    for element in Element::ALL {
        let p = pairs(&caseload, &haq, &haq, &ScoreOf::Element(element))?;
        // SEM = SD sqrt(1 - alpha), per rater, on the element's own POMP scores
        let sd = |xs: &[f64]| -> f64 {
            let m = xs.iter().sum::<f64>() / xs.len() as f64;
            (xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() - 1) as f64).sqrt()
        };
        let se_c = standard_error_of_measurement(sd(&p.client), alpha)?;
        let se_t = standard_error_of_measurement(sd(&p.therapist), alpha)?;
        let d = discrepancy(&Paired::new(&p.client, &p.therapist)?, se_c, se_t)?;
        any_beyond += d.exceeding;
        println!(
            "  {:<27} {:>+6.1} {:>6.1} {:>8.1}  {:>9} {:>9}  {:>10}",
            element.name(),
            d.mean_difference,
            d.mean_absolute,
            d.bound,
            d.client_higher,
            d.therapist_higher,
            d.exceeding
        );
    }
    println!(
        "\n{any_beyond} element ratings differ by more than the reliable-difference bound \
         1.96 sqrt(SEM_client^2 + SEM_therapist^2)."
    );
    assert_eq!(total.client.len(), 30);
    Ok(())
}
