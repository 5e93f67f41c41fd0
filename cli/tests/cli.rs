//! End to end: the `alliance` binary on the bundled sample and on bad input. Every run must
//! account for each row (rows read = used + rejected), never panic, and exit 2 with a fix for
//! a usage error.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn alliance(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("alliance").unwrap();
    c.current_dir(dir);
    c
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The counts line: (read, used, rejected).
fn counts(stderr: &[u8]) -> (u64, u64, u64) {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .find(|l| l.contains("rows read"))
        .unwrap_or_else(|| panic!("{text}"));
    let nums: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    let n = nums.len();
    (nums[n - 3], nums[n - 2], nums[n - 1])
}

fn rejects(dir: &Path) -> Vec<csv::StringRecord> {
    let p = dir.join("alliance-rejects.csv");
    if !p.exists() {
        return Vec::new();
    }
    csv::Reader::from_path(p)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect()
}

/// The rows a command prints as JSON lines on the bundled sample (it must succeed).
fn sample_jsonl(args: &[&str]) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let out = alliance(dir.path())
        .args(args)
        .args(["--sample", "--format", "jsonl"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    jsonl(&out.stdout)
}

/// The rows of a JSON-lines table.
fn jsonl(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const HEADER: &str = "client,therapist,session,date,rater,instrument,item1,item2,item3,item4\n";

#[test]
fn every_command_runs_on_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in ["score", "reliability", "agreement", "trend"] {
        let out = alliance(dir.path())
            .args([cmd, "--sample"])
            .assert()
            .success();
        let o = out.get_output();
        assert_eq!(counts(&o.stderr), (120, 120, 0), "{cmd}");
        assert!(o.stdout.len() > 100, "{cmd}");
    }
    alliance(dir.path())
        .args(["instruments"])
        .assert()
        .success()
        .stdout(predicate::str::contains("WAI-SR"));
    assert!(!dir.path().join("alliance-rejects.csv").exists());
}

#[test]
fn scores_equal_the_library() {
    let rows = sample_jsonl(&["score"]);
    let mut n = 0;
    for course in alliance::sample::caseload().unwrap() {
        for s in course.sessions() {
            for r in s.responses() {
                let want = alliance::score(r).unwrap();
                let got = &rows[n];
                assert_eq!(got["client"], course.client());
                assert_eq!(got["session"], s.number());
                assert_eq!(got["instrument"], want.instrument.as_str());
                assert_eq!(
                    got["total"].as_f64().unwrap().to_bits(),
                    want.total.value.to_bits()
                );
                assert_eq!(
                    got["pomp"].as_f64().unwrap().to_bits(),
                    want.total.pomp.to_bits()
                );
                assert_eq!(got["prorated"], want.total.prorated);
                n += 1;
            }
        }
    }
    assert_eq!(n, rows.len());
}

#[test]
fn agreement_equals_the_library() {
    use alliance::agreement::{IccForm, IccUnit, concordance, icc};
    use alliance::caseload::{ScoreOf, pairs};
    let rows = sample_jsonl(&["agreement"]);
    let pooled = rows.iter().find(|r| r["dyad"] == "pooled").unwrap();
    let courses = alliance::sample::caseload().unwrap();
    let haq = alliance::catalog::haq_ii();
    let p = pairs(&courses, &haq, &haq, &ScoreOf::TotalPomp)
        .unwrap()
        .paired()
        .unwrap();
    let level = alliance::Level::default();
    let i = icc(
        &p.to_ratings().unwrap(),
        IccForm::TwoWayAgreement,
        IccUnit::Single,
        level,
    )
    .unwrap();
    let c = concordance(&p, level).unwrap();
    assert_eq!(pooled["n"], p.n());
    assert_eq!(
        pooled["icc"].as_f64().unwrap().to_bits(),
        i.coefficient.value().unwrap().to_bits()
    );
    assert_eq!(
        pooled["ccc"].as_f64().unwrap().to_bits(),
        c.coefficient.value().unwrap().to_bits()
    );
}

#[test]
fn bad_rows_are_rejected_with_line_column_and_reason_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{HEADER}\
C1,T1,1,2026-01-05,client,VAS-4,8,8,8,8\n\
C1,T1,2,2026-01-12,client,VAS-4,8,eight,8,8\n\
C1,T1,3,2026-01-19,client,VAS-4,8,8,11,8\n\
C1,T1,4,2026-01-26,client,VAS-4,NaN,8,8,8\n\
C1,T1,5,2026-02-02,client,VAS-4,inf,8,8,8\n\
C1,T1,1,2026-01-05,client,VAS-4,7,7,7,7\n\
C1,T1,6,2026-02-09,client,VAS-4,8,8\n\
C1,T1,7,2026-02-16,client,XYZ,8,8,8,8\n\
C1,T1,8,16/02/2026,client,VAS-4,8,8,8,8\n\
\"C,2\",T1,1,2026-01-05,client,VAS-4,\"7\",7,7,7\n\
C3,T1,1,2026-01-05,client,VAS-4,\"7\n\",7,7,7\n"
    );
    let f = write(dir.path(), "study.csv", body.as_bytes());
    let out = alliance(dir.path())
        .args(["score"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (read, used, rejected) = counts(&out.stderr);
    assert_eq!((read, used + rejected), (11, 11));
    assert_eq!(
        used, 3,
        "rows 1, the quoted client C,2 and the quoted answer with a newline"
    );
    let r = rejects(dir.path());
    assert_eq!(r.len() as u64, rejected);
    let reasons: Vec<String> = r
        .iter()
        .map(|x| format!("{}|{}|{}", &x[1], &x[2], &x[3]))
        .collect();
    let has = |line: &str, col: &str, words: &str| {
        assert!(
            reasons
                .iter()
                .any(|x| x.starts_with(&format!("{line}|{col}|")) && x.contains(words)),
            "line {line} column {col} '{words}' not in {reasons:#?}"
        );
    };
    has("3", "item2", "not a number");
    has("4", "item3", "scale");
    has("5", "item1", "not a number on the scale");
    has("6", "item1", "not a number on the scale");
    has("7", "", "second client VAS-4 response");
    has("8", "", "fields but the header has");
    has("9", "instrument", "unknown instrument 'XYZ'");
    has("10", "date", "ISO 8601");
}

#[test]
fn strict_stops_at_the_first_bad_row_with_exit_code_one() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{HEADER}C1,T1,1,2026-01-05,client,VAS-4,8,8,8,8\nC1,T1,2,2026-01-12,client,VAS-4,8,x,8,8\n"
    );
    let f = write(dir.path(), "study.csv", body.as_bytes());
    alliance(dir.path())
        .args(["score", "--strict"])
        .arg(&f)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "study.csv:3: column 'item2': answer 'x' is not a number",
        ));
}

#[test]
fn semicolons_tabs_and_a_byte_order_mark_are_read() {
    let dir = tempfile::tempdir().unwrap();
    for (name, sep) in [("semi.csv", ";"), ("tab.tsv", "\t")] {
        let body = format!(
            "\u{feff}{}C1{sep}T1{sep}1{sep}2026-01-05{sep}client{sep}VAS-4{sep}8{sep}8{sep}8{sep}8\n",
            HEADER.replace(',', sep)
        );
        let f = write(dir.path(), name, body.as_bytes());
        let out = alliance(dir.path())
            .args(["score"])
            .arg(&f)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(counts(&out.stderr), (1, 1, 0));
        assert!(String::from_utf8_lossy(&out.stdout).contains(",32.0,"));
    }
}

#[test]
fn the_long_layout_groups_answers_into_responses() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::from("client,therapist,session,rater,instrument,item,answer\n");
    for item in 1..=4 {
        body.push_str(&format!("C1,T1,1,client,VAS-4,{item},8\n"));
    }
    for item in 1..=4 {
        body.push_str(&format!(
            "C1,T1,2,client,VAS-4,{item},{}\n",
            if item == 3 { "x" } else { "7" }
        ));
    }
    let f = write(dir.path(), "long.csv", body.as_bytes());
    let out = alliance(dir.path())
        .args(["score"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(counts(&out.stderr), (8, 4, 4));
    assert_eq!(rejects(dir.path()).len(), 4);
}

#[test]
fn usage_errors_exit_two_and_say_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(Vec<u8>, Vec<&str>, &str)> = vec![
        (Vec::new(), vec![], "is empty"),
        (b"\n\n".to_vec(), vec![], "is empty"),
        (b"a,b,c\n1,2,3\n".to_vec(), vec![], "--client-col"),
        (
            HEADER.as_bytes().to_vec(),
            vec!["--client-col", "patient"],
            "its header has: client",
        ),
        (
            HEADER.replace(",instrument", ",measure_").into_bytes(),
            vec![],
            "--instrument ID",
        ),
        (vec![b'x'; 2 << 20], vec![], "over 1 MB"),
    ];
    for (i, (bytes, flags, words)) in cases.into_iter().enumerate() {
        let f = write(dir.path(), &format!("u{i}.csv"), &bytes);
        alliance(dir.path())
            .arg("score")
            .arg(&f)
            .args(flags)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(words));
    }
    alliance(dir.path())
        .args(["score", "missing.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot open"));
}

#[test]
fn header_only_non_utf8_and_a_wrong_delimiter_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "h.csv", HEADER.as_bytes());
    alliance(dir.path())
        .arg("score")
        .arg(&f)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no rows"));
    let mut bad = HEADER.as_bytes().to_vec();
    bad.extend(b"C\xff1,T1,1,2026-01-05,client,VAS-4,8,8,8,8\n");
    let f = write(dir.path(), "latin1.csv", &bad);
    let out = alliance(dir.path()).arg("score").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(counts(&out.stderr), (1, 0, 1));
    assert!(rejects(dir.path())[0][3].contains("UTF-8"));
    // semicolon data with a comma header: every row is ragged, and said so
    let body = format!("{HEADER}C1;T1;1;2026-01-05;client;VAS-4;8;8;8;8\n");
    let f = write(dir.path(), "mixed.csv", body.as_bytes());
    alliance(dir.path())
        .arg("score")
        .arg(&f)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("1 rejected"));
}

#[test]
fn a_huge_single_line_is_a_rejected_row_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = HEADER.as_bytes().to_vec();
    body.extend(std::iter::repeat_n(b'9', 50 << 20));
    body.push(b'\n');
    body.extend(b"C1,T1,1,2026-01-05,client,VAS-4,8,8,8,8\n");
    let f = write(dir.path(), "huge.csv", &body);
    let out = alliance(dir.path()).arg("score").arg(&f).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(counts(&out.stderr), (2, 1, 1));
}

#[test]
fn the_report_is_self_contained_and_has_every_dyad_chart_and_marker() {
    let dir = tempfile::tempdir().unwrap();
    let out = alliance(dir.path())
        .args(["report", "--sample", "--out-dir", "rep"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rep = dir.path().join("rep");
    for f in [
        "report.html",
        "overview.csv",
        "scores.csv",
        "trends.csv",
        "agreement.csv",
        "reliability.csv",
    ] {
        assert!(rep.join(f).exists(), "{f}");
    }
    let html = std::fs::read_to_string(rep.join("report.html")).unwrap();
    // nothing fetched: the only URL is the SVG namespace
    let without_ns = html.replace("http://www.w3.org/2000/svg", "");
    assert!(!without_ns.contains("http://") && !without_ns.contains("https://"));
    assert!(!html.contains(" src=") && !html.contains("<link"));
    assert_eq!(html.matches("<section").count(), 3);
    assert_eq!(
        html.matches("<svg").count(),
        9,
        "trajectory, client-therapist, Bland-Altman per dyad"
    );
    assert!(html.contains(r#"class="rupture""#) && html.contains(r#"class="repair""#));
    assert!(html.contains(r#"class="band""#));
    // the overview's numbers are the library's
    let overview = std::fs::read_to_string(rep.join("overview.csv")).unwrap();
    let c02 = overview.lines().find(|l| l.starts_with("C02,")).unwrap();
    assert!(c02.contains(",1,1,"), "one rupture, repaired: {c02}");
}

#[test]
fn a_trajectory_chart_is_stable() {
    let dir = tempfile::tempdir().unwrap();
    alliance(dir.path())
        .args(["report", "--sample", "--out-dir", "rep"])
        .assert()
        .success();
    let html = std::fs::read_to_string(dir.path().join("rep/report.html")).unwrap();
    let start = html.find(r#"<section id="d-C02-T02">"#).unwrap();
    let svg_start = start + html[start..].find("<svg").unwrap();
    let svg_end = svg_start + html[svg_start..].find("</svg>").unwrap() + "</svg>".len();
    insta::assert_snapshot!("c02_trajectory", &html[svg_start..svg_end]);
}

/// The report in a real browser: headless Chromium takes a screenshot, and the charts must be
/// there: the element lines, the client and therapist lines, the cutoff band and the rupture
/// marker, each in its colour and in quantity. Skipped when Chromium is not installed, unless
/// `ALLIANCE_REQUIRE_CHROMIUM=1` (set by `.ci/run`, which installs it).
#[test]
fn the_report_renders_in_a_browser_with_its_charts() {
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    let Some(browser) = browser else {
        assert!(
            std::env::var("ALLIANCE_REQUIRE_CHROMIUM").is_err(),
            "Chromium is required but not found"
        );
        eprintln!("skipped: no Chromium");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    alliance(dir.path())
        .args(["report", "--sample", "--out-dir", "rep"])
        .assert()
        .success();
    let png_path = dir.path().join("report.png");
    let status = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1400,1400",
        ])
        .arg(format!("--screenshot={}", png_path.display()))
        .arg(format!(
            "file://{}",
            dir.path().join("rep/report.html").display()
        ))
        .output()
        .unwrap();
    assert!(
        png_path.exists(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels: Vec<[u8; 3]> = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    let count = |rgb: [u8; 3]| {
        pixels
            .iter()
            .filter(|p| p.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= 12))
            .count()
    };
    let distinct: std::collections::HashSet<[u8; 3]> = pixels.iter().copied().collect();
    assert!(
        distinct.len() > 100,
        "a blank page: {} colours",
        distinct.len()
    );
    for (what, rgb, least) in [
        ("rapport line", [0x1f, 0x77, 0xb4], 150),
        ("goals line", [0xff, 0x7f, 0x0e], 150),
        ("client line and repair ring", [0x2c, 0xa0, 0x2c], 300),
        ("therapist line", [0x17, 0xbe, 0xcf], 300),
        ("cutoff band", [0xf6, 0xd5, 0xd5], 20_000),
        ("rupture marker", [0xd6, 0x27, 0x28], 40),
    ] {
        let n = count(rgb);
        assert!(
            n >= least,
            "{what}: {n} pixels of {rgb:?}, expected at least {least}"
        );
    }
    if let Ok(keep) = std::env::var("ALLIANCE_SCREENSHOT_OUT") {
        std::fs::copy(&png_path, keep).unwrap();
    }
}

#[test]
fn trends_equal_the_library() {
    use alliance::caseload::{ScoreOf, TimeAxis, series};
    use alliance::trend::{SenOptions, mann_kendall, sen_slope};
    let rows = sample_jsonl(&["trend"]);
    let courses = alliance::sample::caseload().unwrap();
    let wai = alliance::catalog::wai_sr();
    let s = series(
        &courses[2],
        alliance::Rater::Client,
        &wai,
        &ScoreOf::TotalPomp,
        TimeAxis::SessionNumber,
    )
    .unwrap();
    let row = rows
        .iter()
        .find(|r| r["client"] == "C03" && r["instrument"] == "WAI-SR" && r["part"] == "total")
        .unwrap();
    let sen = sen_slope(&s.series, alliance::Level::default(), SenOptions::default()).unwrap();
    let mk = mann_kendall(&s.series).unwrap();
    assert_eq!(
        row["sen_slope"].as_f64().unwrap().to_bits(),
        sen.slope.to_bits()
    );
    assert_eq!(row["mk_p"].as_f64().unwrap().to_bits(), mk.p.to_bits());
    assert_eq!(row["n"], s.series.len());
}

#[test]
fn item_kappa_equals_the_library() {
    use alliance::agreement::{Categories, Weighting, cohen_kappa};
    let rows = sample_jsonl(&["agreement", "--items"]);
    assert_eq!(rows.len(), 19, "one row per HAq-II item");
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for course in alliance::sample::caseload().unwrap() {
        for s in course.sessions() {
            let (c, t) = (
                s.response(alliance::Rater::Client, "HAq-II"),
                s.response(alliance::Rater::Therapist, "HAq-II"),
            );
            if let (Some(c), Some(t)) = (c, t) {
                a.push(c.answer(13));
                b.push(t.answer(13));
            }
        }
    }
    let p = alliance::Paired::with_missing(&a, &b).unwrap();
    let k = cohen_kappa(
        &p,
        &Categories::range(1, 6).unwrap(),
        &Weighting::Quadratic,
        alliance::Level::default(),
    )
    .unwrap();
    assert_eq!(rows[12]["n"], p.n());
    assert_eq!(
        rows[12]["kappa"].as_f64().unwrap().to_bits(),
        k.coefficient.value().unwrap().to_bits()
    );
}

#[test]
fn a_duplicate_anywhere_in_the_file_is_rejected_by_the_study_commands() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{HEADER}\
C1,T1,1,2026-01-05,client,VAS-4,8,8,8,8\n\
C2,T1,1,2026-01-05,client,VAS-4,8,8,8,8\n\
C1,T1,1,2026-01-05,client,VAS-4,7,7,7,7\n\
C1,T1,2,2026-01-12,client,VAS-4,8,8,8,8\n\
C1,T1,3,2026-01-19,client,VAS-4,8,8,8,8\n"
    );
    let f = write(dir.path(), "dup.csv", body.as_bytes());
    let out = alliance(dir.path())
        .args(["trend"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(counts(&out.stderr), (5, 4, 1));
    let r = rejects(dir.path());
    assert_eq!(&r[0][1], "4");
    assert!(
        r[0][3].contains("already has a client response"),
        "{:?}",
        r[0]
    );
}

/// `alliance score` on `study` in `dir`, with `chunk` bytes per chunk (`0`: one reader): its
/// exit code, table and rejects file.
fn score_in_chunks(
    dir: &Path,
    study: &Path,
    chunk: usize,
    extra: &[&str],
) -> (Option<i32>, String, String) {
    let rejects = dir.join("alliance-rejects.csv");
    let _ = std::fs::remove_file(&rejects);
    let out = alliance(dir)
        .env("ALLIANCE_SCORE_CHUNK_BYTES", chunk.to_string())
        .args(["score"])
        .arg(study)
        .args(extra)
        .output()
        .unwrap();
    let rejects = std::fs::read(rejects).unwrap_or_default();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&rejects).into_owned(),
    )
}

/// The first line where two texts differ, for a readable failure.
fn first_difference(a: &str, b: &str) -> String {
    let (mut x, mut y) = (a.lines(), b.lines());
    for n in 1.. {
        match (x.next(), y.next()) {
            (None, None) => return "no difference".into(),
            (l, r) if l != r => return format!("line {n}: {l:?} vs {r:?}"),
            _ => {}
        }
    }
    unreachable!()
}

/// A study of wide rows drawn from `seed`: dyads in blocks of rows, with duplicate sessions
/// next to each other and apart, bad answers, ragged rows, quoted fields holding commas and
/// line ends, CRLF and bare CR line ends, and blank lines.
fn tricky_study(seed: u64, rows: usize) -> Vec<u8> {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = |n: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s % n
    };
    let mut body = HEADER.as_bytes().to_vec();
    let (mut dyad, mut session) = (1u64, 1u64);
    for _ in 0..rows {
        match next(10) {
            0 => dyad += 1,
            1 => session = session.saturating_sub(next(3)).max(1), // a session again
            _ => session += 1,
        }
        if next(7) == 0 {
            session = 1;
            dyad = 1 + next(dyad); // back to an earlier dyad: a block of its own
        }
        let client = match next(20) {
            0 => format!("\"C,{dyad}\""),
            1 => format!("\"C\n{dyad}\""),
            _ => format!("C{dyad}"),
        };
        let answers: Vec<String> = (0..4)
            .map(|_| match next(30) {
                0 => "x".into(),
                1 => "".into(),
                2 => "12".into(),
                3 => "\"7\"".into(),
                _ => next(11).to_string(),
            })
            .collect();
        let ragged = if next(40) == 0 { 3 } else { 4 };
        let end = match next(12) {
            0 => "\r\n",
            1 => "\r",
            2 => "\n\n",
            _ => "\n",
        };
        body.extend_from_slice(
            format!(
                "{client},T{},{session},2026-01-05,{},VAS-4,{}{end}",
                dyad % 3,
                if next(9) == 0 { "therapist" } else { "client" },
                answers[..ragged].join(",")
            )
            .as_bytes(),
        );
    }
    body
}

#[test]
fn scoring_in_chunks_equals_reading_on_one_thread() {
    let dir = tempfile::tempdir().unwrap();
    for seed in 1..=12 {
        let study = write(dir.path(), "study.csv", &tricky_study(seed, 150));
        let one = score_in_chunks(dir.path(), &study, 0, &[]);
        assert_eq!(one.0, Some(0), "seed {seed}");
        assert!(!one.2.is_empty(), "seed {seed}: the study has bad rows");
        for chunk in [1, 2, 7, 40, 333, 1 << 20] {
            let chunked = score_in_chunks(dir.path(), &study, chunk, &[]);
            let at = format!("seed {seed}, {chunk} bytes per chunk");
            assert_eq!(chunked.0, one.0, "{at}");
            assert!(
                chunked.1 == one.1,
                "{at}: table {}",
                first_difference(&chunked.1, &one.1)
            );
            assert!(
                chunked.2 == one.2,
                "{at}: rejects {}",
                first_difference(&chunked.2, &one.2)
            );
        }
        let jsonl = score_in_chunks(dir.path(), &study, 0, &["--format", "jsonl"]);
        assert_eq!(
            score_in_chunks(dir.path(), &study, 5, &["--format", "jsonl"]),
            jsonl,
            "seed {seed}"
        );
    }
}

#[test]
fn rejects_name_their_own_line_after_blank_lines_and_in_crlf_files() {
    let dir = tempfile::tempdir().unwrap();
    let good = "C1,T1,1,2026-01-05,client,VAS-4,8,8,8,8";
    let bad = |s: u32| format!("C1,T1,{s},2026-01-05,client,VAS-4,x,8,8,8");
    for (name, body, lines) in [
        (
            "crlf.csv",
            format!(
                "{}{good}\r\n{}\r\n{}\r\n",
                HEADER.replace('\n', "\r\n"),
                bad(2),
                bad(3)
            ),
            ["3", "4"],
        ),
        (
            "blank.csv",
            format!("{HEADER}{good}\n\n\n{}\n\r\n{}\n", bad(2), bad(3)),
            ["5", "7"],
        ),
    ] {
        let f = write(dir.path(), name, body.as_bytes());
        for chunk in [0, 1, 1 << 20] {
            let out = alliance(dir.path())
                .env("ALLIANCE_SCORE_CHUNK_BYTES", chunk.to_string())
                .args(["score"])
                .arg(&f)
                .output()
                .unwrap();
            assert_eq!(counts(&out.stderr), (3, 1, 2), "{name}");
            let got: Vec<String> = rejects(dir.path())
                .iter()
                .map(|r| r[1].to_owned())
                .collect();
            assert_eq!(got, lines, "{name}, {chunk} bytes per chunk");
        }
    }
}
