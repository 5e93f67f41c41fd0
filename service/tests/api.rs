//! The API against the real binary: the bundled sample end to end, every kind of bad input,
//! and repeated posts.

// A failed request is a failed test: unwrapping is the point here.
#![allow(clippy::unwrap_used)]

mod common;

use common::{
    Server, assert_schema, count_rows, post_all_new, sample_posts, uninterrupted_replies, vas_form,
};
use serde_json::{Value, json};

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// Whether an event's rules include a rupture (`{"Rupture": {"level": ...}}`).
fn has_rupture(event: &Value) -> bool {
    event["rules"]
        .as_array()
        .is_some_and(|rules| rules.iter().any(|r| r.get("Rupture").is_some()))
}

#[test]
fn the_sample_caseload_end_to_end() {
    let dir = temp();
    let server = Server::start(&dir.path().join("service.db"));
    let mut client = server.client();
    let mut rupture_seen = false;
    for post in sample_posts() {
        let reply = client.post(&post.path(), post.body.as_bytes()).unwrap();
        assert_eq!(
            reply.status,
            201,
            "{} {}: {}",
            post.dyad,
            post.session,
            reply.text()
        );
        let json = reply.json();
        // the reply's parts are the library's wire types, as their schemas describe them
        assert_schema("score", &json["scores"]["client"]);
        assert_schema("session_report", &json["report"]);
        // the reply's scores are the library's scores of the same responses
        let expected = serde_json::to_value(alliance::score(&post.client).unwrap()).unwrap();
        assert_eq!(json["scores"]["client"], expected);
        let therapist = post
            .therapist
            .as_ref()
            .map(|t| serde_json::to_value(alliance::score(t).unwrap()).unwrap());
        assert_eq!(
            json["scores"]["therapist"],
            therapist.unwrap_or(Value::Null)
        );
        assert_eq!(json["dyad"], post.dyad);
        assert_eq!(json["session"], post.session);
        assert_eq!(
            json["instrument"]["key_hash"],
            post.client.instrument().key_hash()
        );
        assert_eq!(
            json["messages"].as_array().map(Vec::len),
            json["report"]["events"].as_array().map(Vec::len)
        );
        if (post.dyad.as_str(), post.instrument.as_str(), post.session) == ("C02-T02", "VAS-4", 6) {
            let events = json["report"]["events"].as_array().unwrap();
            let rupture = events
                .iter()
                .find(|e| e["change"] == "decline" && has_rupture(e))
                .unwrap_or_else(|| panic!("no rupture at C02's session 6: {json}"));
            assert_eq!(rupture["session"], 6);
            assert!(matches!(json["severity"].as_str(), Some("watch" | "act")));
            let message = json["messages"][0].as_str().unwrap();
            assert!(message.contains("session 6"), "{message}");
            rupture_seen = true;
        }
    }
    assert!(rupture_seen);

    // the course: every session in order, element trends, no rupture left open
    let course = client.get("/dyads/C02-T02").unwrap();
    assert_eq!(course.status, 200, "{}", course.text());
    let course = course.json();
    let series = course["series"].as_array().unwrap();
    let ids: Vec<&str> = series
        .iter()
        .map(|s| s["instrument"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["HAq-II", "VAS-4", "WAI-SR"]);
    let vas = &series[1];
    let numbers: Vec<u64> = vas["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["session"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=12).collect::<Vec<u64>>());
    let elements: Vec<&str> = vas["trends"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["element"].as_str().unwrap())
        .collect();
    assert_eq!(elements, ["Rapport", "Goals", "Responsibility"]); // VAS-4 has no Expectations item
    for trend in vas["trends"].as_array().unwrap() {
        assert_eq!(trend["sessions"], 12);
        assert_eq!(trend["trend"]["method"], "sen_slope");
        assert!(trend["trend"]["slope"].is_f64(), "{trend}");
        assert!(trend["trend"]["p"].is_f64(), "{trend}");
        assert!(trend["reason"].is_null());
    }
    let session_6 = &vas["sessions"][5];
    assert!(matches!(
        session_6["severity"].as_str(),
        Some("watch" | "act")
    ));
    for alert in course["open_alerts"].as_array().unwrap() {
        let about_6 = alert["instrument"]["id"] == "VAS-4" && alert["event"]["session"] == 6;
        assert!(!about_6, "the repaired rupture is still open: {alert}");
        assert!(matches!(
            alert["event"]["severity"].as_str(),
            Some("watch" | "act")
        ));
    }

    // the catalog
    let catalog = client.get("/instruments").unwrap();
    assert_eq!(catalog.status, 200);
    let catalog = catalog.json();
    let instruments = catalog["instruments"].as_array().unwrap();
    assert_eq!(instruments.len(), alliance::catalog::all().len());
    for (got, want) in instruments.iter().zip(alliance::catalog::all()) {
        assert_eq!(got["id"], want.id());
        assert_eq!(got["version"], want.version());
        assert_eq!(got["key_hash"], want.key_hash());
        assert_eq!(got["items"], want.items().len());
        assert!(got["scale"]["min"].is_number() && got["scoring"].is_string());
    }
}

#[test]
fn a_rupture_is_open_until_it_is_repaired() {
    let dir = temp();
    let server = Server::start(&dir.path().join("service.db"));
    let mut client = server.client();
    let posts: Vec<_> = sample_posts()
        .into_iter()
        .filter(|p| p.dyad == "C02-T02" && p.instrument == "VAS-4")
        .collect();
    let open_rupture =
        |client: &mut common::http::Client| {
            let course = client.get("/dyads/C02-T02").unwrap().json();
            course["open_alerts"].as_array().unwrap().iter().any(|a| {
                a["event"]["session"] == 6 && a["raised_by"] == 6 && has_rupture(&a["event"])
            })
        };
    for post in &posts {
        let reply = client.post(&post.path(), post.body.as_bytes()).unwrap();
        assert_eq!(reply.status, 201, "{}", reply.text());
        match post.session {
            6 | 7 => assert!(
                open_rupture(&mut client),
                "open after session {}",
                post.session
            ),
            8.. => assert!(
                !open_rupture(&mut client),
                "still open after {}",
                post.session
            ),
            _ => {}
        }
    }
    // the repair that closed it is in session 8's reply
    let course = client.get("/dyads/C02-T02").unwrap().json();
    let messages = &course["series"][0]["sessions"][7]["messages"];
    assert!(
        messages
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m.as_str().unwrap().contains("repaired")),
        "{messages}"
    );
}

#[test]
fn every_problem_of_a_bad_form_at_once() {
    let dir = temp();
    let server = Server::start(&dir.path().join("service.db"));
    let mut client = server.client();
    // WAI-SR (1-5): item 2 off its step, item 7 off the scale, items 1 and 10 of Task missing
    let body = json!({
        "session": 1,
        "instrument": "WAI-SR",
        "client": [null, 2.5, 4, 4, 4, 4, 9, 4, 4, null, 4, 4],
    });
    let reply = client
        .post("/dyads/D1/sessions", body.to_string().as_bytes())
        .unwrap();
    assert_eq!(reply.status, 400);
    let errors = reply.json()["errors"].as_array().unwrap().clone();
    let summary: Vec<(&str, &str, &str)> = errors
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap(),
                e["rater"].as_str().unwrap(),
                e["field"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("off_step", "client", "/client/1"),
            ("out_of_scale", "client", "/client/6"),
            ("too_many_missing", "client", "/client"),
        ]
    );
    assert_eq!(
        (errors[0]["item"].clone(), errors[0]["value"].clone()),
        (json!(2), json!(2.5))
    );
    assert_eq!(
        (errors[1]["item"].clone(), errors[1]["max"].clone()),
        (json!(7), json!(5.0))
    );
    assert_eq!(errors[2]["scope"], "Task");
    assert_eq!(errors[2]["missing"], 2);
    assert!(errors.iter().all(|e| e["message"].is_string()));
    for e in &errors {
        assert_schema("error_report", e); // plus the service's rater and field
    }

    // the therapist's problems too, each with its rater
    let body = json!({
        "session": 1,
        "instrument": "VAS-4",
        "client": [9, 11, 7.35, null],
        "therapist": [9, 9, 9],
    });
    let reply = client
        .post("/dyads/D1/sessions", body.to_string().as_bytes())
        .unwrap();
    assert_eq!(reply.status, 400);
    let errors = reply.json()["errors"].as_array().unwrap().clone();
    let codes: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e["code"].as_str().unwrap(), e["rater"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("out_of_scale", "client"),
            ("off_step", "client"),
            ("too_many_missing", "client"),
            ("length_mismatch", "therapist"),
        ]
    );
    // nothing was stored
    assert_eq!(client.get("/dyads/D1").unwrap().status, 404);
}

#[test]
fn malformed_requests_get_400_with_codes() {
    let dir = temp();
    let server = Server::start(&dir.path().join("service.db"));
    let mut client = server.client();
    let codes = |reply: &common::http::Reply| -> Vec<String> {
        reply.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let post = |client: &mut common::http::Client, body: &str| {
        client.post("/dyads/D1/sessions", body.as_bytes()).unwrap()
    };

    let reply = post(
        &mut client,
        r#"{"session": 1, "instrument": "VAS-4", "client": [1, 2"#,
    );
    assert_eq!(
        (reply.status, codes(&reply)),
        (400, vec!["invalid_json".into()])
    );
    assert!(reply.json()["errors"][0]["line"].is_number());

    let reply = post(&mut client, "");
    assert_eq!(
        (reply.status, codes(&reply)),
        (400, vec!["invalid_json".into()])
    );

    let reply = post(&mut client, r#"{"therapists": [1]}"#);
    assert_eq!(reply.status, 400);
    assert_eq!(
        codes(&reply),
        [
            "unknown_field",
            "missing_field",
            "missing_field",
            "missing_field"
        ]
    );

    let reply = post(
        &mut client,
        r#"{"session": "six", "date": "01/03/2026", "instrument": "VAS-4", "client": [9, "x", 9, 9]}"#,
    );
    assert_eq!(reply.status, 400);
    assert_eq!(
        codes(&reply),
        ["invalid_field", "unrecognized", "invalid_field"]
    );
    assert_eq!(reply.json()["errors"][2]["field"], "/client/1");

    // unknown instrument, unknown version: the crate's code
    let reply = post(
        &mut client,
        r#"{"session": 1, "instrument": "WAI-XL", "client": [1]}"#,
    );
    assert_eq!(
        (reply.status, codes(&reply)),
        (400, vec!["unknown_instrument".into()])
    );
    assert_eq!(reply.json()["errors"][0]["id"], "WAI-XL");
    let reply = post(
        &mut client,
        r#"{"session": 1, "instrument": "VAS-4", "version": "2", "client": [9, 9, 9, 9]}"#,
    );
    assert_eq!(
        (reply.status, codes(&reply)),
        (400, vec!["unknown_instrument".into()])
    );
    assert_eq!(reply.json()["errors"][0]["version"], "2");

    // a bad dyad id, an unknown dyad, an unknown path, a wrong method
    let reply = client
        .post("/dyads/a%20b/sessions", vas_form(1, 1).as_bytes())
        .unwrap();
    assert_eq!(
        (reply.status, codes(&reply)),
        (400, vec!["invalid_dyad".into()])
    );
    let reply = client.get("/dyads/nobody").unwrap();
    assert_eq!(
        (reply.status, codes(&reply)),
        (404, vec!["unknown_dyad".into()])
    );
    let reply = client.get("/nowhere").unwrap();
    assert_eq!(
        (reply.status, codes(&reply)),
        (404, vec!["not_found".into()])
    );
    let reply = client.get("/dyads/D1/sessions").unwrap();
    assert_eq!(
        (reply.status, codes(&reply)),
        (405, vec!["method_not_allowed".into()])
    );

    // a body over the limit is refused from its length alone (sent without the body, so
    // that the server's close does not reset the connection before the reply is read)
    {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
        write!(
            stream,
            "POST /dyads/D1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
            1 << 20
        )
        .unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
        assert!(reply.contains("\"code\":\"payload_too_large\""), "{reply}");
    }

    // still serving, nothing stored
    assert_eq!(client.get("/instruments").unwrap().status, 200);
    assert_eq!(client.get("/dyads/D1").unwrap().status, 404);
}

#[test]
fn a_repeated_post_gets_the_stored_reply_and_a_different_one_a_conflict() {
    let dir = temp();
    let db = dir.path().join("service.db");
    let server = Server::start(&db);
    let mut client = server.client();
    let path = "/dyads/D7/sessions";
    let first = client.post(path, vas_form(1, 1).as_bytes()).unwrap();
    assert_eq!(first.status, 201, "{}", first.text());

    // the same form, byte for byte and written otherwise: 200, the stored reply byte for byte
    let again = client.post(path, vas_form(1, 1).as_bytes()).unwrap();
    assert_eq!((again.status, &again.body), (200, &first.body));
    let mut reordered: serde_json::Map<String, Value> =
        serde_json::from_str(&vas_form(1, 1)).unwrap();
    reordered.insert("version".into(), json!("1"));
    reordered.insert("date".into(), Value::Null);
    let reordered = format!(
        "{{ \"therapist\": {}, \"client\": {}, \"version\": \"1\", \"instrument\": \"vas-4\", \"session\": 1 }}",
        reordered["therapist"], reordered["client"]
    );
    let again = client.post(path, reordered.as_bytes()).unwrap();
    assert_eq!((again.status, &again.body), (200, &first.body));
    assert_eq!(count_rows(&db, "sessions", "D7"), 1);
    assert_eq!(count_rows(&db, "responses", "D7"), 2);

    // another form for the stored session: 409
    let other = client.post(path, vas_form(1, 2).as_bytes()).unwrap();
    assert_eq!(other.status, 409);
    assert_eq!(other.json()["errors"][0]["code"], "session_conflict");

    // later sessions go on; an old one repeated still gets its reply
    let second = client.post(path, vas_form(2, 1).as_bytes()).unwrap();
    assert_eq!(second.status, 201);
    let again = client.post(path, vas_form(1, 1).as_bytes()).unwrap();
    assert_eq!((again.status, &again.body), (200, &first.body));

    // a session number not after the last: 409
    let late = client.post(path, vas_form(0, 1).as_bytes()).unwrap();
    assert_eq!(late.status, 409);
    let error = &late.json()["errors"][0];
    assert_eq!(error["code"], "session_out_of_order");
    assert_eq!(
        (error["session"].clone(), error["last_session"].clone()),
        (json!(0), json!(2))
    );

    // a date before the last dated session's: 409 with the crate's code
    let dated = |session: u32, date: &str| {
        let mut form: serde_json::Map<String, Value> =
            serde_json::from_str(&vas_form(session, 1)).unwrap();
        form.insert("date".into(), json!(date));
        Value::Object(form).to_string()
    };
    let reply = client
        .post(path, dated(3, "2026-03-10").as_bytes())
        .unwrap();
    assert_eq!(reply.status, 201, "{}", reply.text());
    let reply = client
        .post(path, dated(4, "2026-03-01").as_bytes())
        .unwrap();
    assert_eq!(reply.status, 409);
    assert_eq!(reply.json()["errors"][0]["code"], "dates_out_of_order");

    assert_eq!(count_rows(&db, "sessions", "D7"), 3);
    let course = client.get("/dyads/D7").unwrap().json();
    assert_eq!(course["series"][0]["sessions"].as_array().unwrap().len(), 3);
}

#[test]
fn a_restarted_server_goes_on_from_the_database() {
    let dir = temp();
    let db = dir.path().join("service.db");
    let posts: Vec<_> = sample_posts()
        .into_iter()
        .filter(|p| p.dyad == "C02-T02")
        .collect();
    // all in one run
    let reference = uninterrupted_replies(&posts);
    // half, a clean restart, the rest
    let half = posts.len() / 2;
    let mut server = Server::start(&db);
    for (post, want) in posts[..half].iter().zip(&reference) {
        let reply = server
            .client()
            .post(&post.path(), post.body.as_bytes())
            .unwrap();
        assert_eq!(&reply.body, want);
    }
    server.kill();
    let server = Server::start(&db);
    let mut client = server.client();
    for (post, want) in posts[half..].iter().zip(&reference[half..]) {
        let reply = client.post(&post.path(), post.body.as_bytes()).unwrap();
        assert_eq!((reply.status, &reply.body), (201, want));
    }
}

#[test]
fn a_damaged_snapshot_is_rebuilt_from_the_stored_sessions() {
    let posts: Vec<_> = sample_posts()
        .into_iter()
        .filter(|p| p.dyad == "C02-T02" && p.instrument == "VAS-4")
        .collect();
    let reference = uninterrupted_replies(&posts);
    let dir = temp();
    let db = dir.path().join("service.db");
    let half = 7; // the rupture of session 6 is still open
    {
        let server = Server::start(&db);
        let mut client = server.client();
        post_all_new(&mut client, &posts[..half]);
    }
    // the snapshot is damaged while the server is down
    let conn = rusqlite::Connection::open(&db).unwrap();
    let changed = conn
        .execute(
            "UPDATE monitors SET snapshot = '{\"format\": 99}' WHERE dyad = 'C02-T02'",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(conn);
    let server = Server::start(&db);
    let mut client = server.client();
    for (post, want) in posts.iter().zip(&reference).skip(half) {
        let reply = client.post(&post.path(), post.body.as_bytes()).unwrap();
        assert_eq!(
            (reply.status, &reply.body),
            (201, want),
            "session {}",
            post.session
        );
    }
}
