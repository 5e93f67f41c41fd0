//! Posts to one dyad at once, from 16 threads.
//!
//! What the replies must satisfy, whatever order the posts arrive in:
//! - each post is either stored (201) or refused with 409 `session_out_of_order` naming a
//!   stored session after it (a later number got there first), never anything else;
//! - the stored sessions are exactly the acknowledged ones, each once (no duplicate, no lost
//!   acknowledged post), in increasing order;
//! - the state is consistent: each acknowledged reply is byte for byte what a fresh server
//!   answers when the stored sessions are posted to it one at a time, in order; so every post
//!   saw the monitor state its predecessor left, none was lost or applied twice;
//! - the same form posted 16 times at once is stored once: one 201, fifteen 200 with the
//!   same body; 16 different forms for one session: one 201, fifteen 409 `session_conflict`.

// A failed request is a failed test: unwrapping is the point here.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Server, count_rows, vas_form};
use std::collections::BTreeMap;
use std::sync::{Arc, Barrier};

const THREADS: u32 = 16;

/// Posts `bodies` to `path` from one thread each, all released at once; (status, body) in the
/// order given.
fn post_at_once(server: &Server, path: &str, bodies: Vec<String>) -> Vec<(u16, Vec<u8>)> {
    let barrier = Arc::new(Barrier::new(bodies.len()));
    let handles: Vec<_> = bodies
        .into_iter()
        .map(|body| {
            let barrier = Arc::clone(&barrier);
            let mut client = server.client();
            let path = path.to_owned();
            std::thread::spawn(move || {
                // connect first, so that the requests leave together
                assert_eq!(client.get("/instruments").unwrap().status, 200);
                barrier.wait();
                let reply = client.post(&path, body.as_bytes()).unwrap();
                (reply.status, reply.body)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

#[test]
fn sixteen_threads_posting_to_one_dyad() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("service.db");
    let server = Server::start(&db);
    let path = "/dyads/CONC/sessions";

    // distinct session numbers, arriving in whatever order the scheduler gives
    let sessions: Vec<u32> = (1..=THREADS).collect();
    let replies = post_at_once(
        &server,
        path,
        sessions.iter().map(|&s| vas_form(s, 1)).collect(),
    );
    let mut acknowledged: BTreeMap<u32, Vec<u8>> = BTreeMap::new();
    let mut refused: Vec<(u32, u64)> = Vec::new();
    for (&session, (status, body)) in sessions.iter().zip(&replies) {
        let json: serde_json::Value = serde_json::from_slice(body).unwrap();
        match status {
            201 => {
                assert_eq!(json["session"], session);
                acknowledged.insert(session, body.clone());
            }
            409 => {
                let error = &json["errors"][0];
                assert_eq!(error["code"], "session_out_of_order", "{json}");
                let last = error["last_session"].as_u64().unwrap();
                assert!(last > u64::from(session), "{json}");
                refused.push((session, last));
            }
            other => panic!("session {session}: status {other}: {json}"),
        }
    }
    eprintln!(
        "acknowledged {:?}; refused (session, last stored) {refused:?}",
        acknowledged.keys().collect::<Vec<_>>()
    );
    assert!(!acknowledged.is_empty());
    assert_eq!(acknowledged.len() + refused.len(), THREADS as usize);
    for (session, last) in &refused {
        let last = u32::try_from(*last).unwrap();
        assert!(
            acknowledged.contains_key(&last),
            "session {session} was refused for {last}, which is not stored"
        );
    }

    // stored = acknowledged, each once, in order
    let mut client = server.client();
    let course = client.get("/dyads/CONC").unwrap().json();
    let stored: Vec<u32> = course["series"][0]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| u32::try_from(s["session"].as_u64().unwrap()).unwrap())
        .collect();
    assert_eq!(stored, acknowledged.keys().copied().collect::<Vec<_>>());
    let n = i64::try_from(acknowledged.len()).unwrap();
    assert_eq!(count_rows(&db, "sessions", "CONC"), n);
    assert_eq!(count_rows(&db, "responses", "CONC"), 2 * n);

    // consistent: a fresh server fed the stored sessions in order answers the same bytes
    {
        let fresh_dir = tempfile::tempdir().unwrap();
        let fresh = Server::start(&fresh_dir.path().join("service.db"));
        let mut fresh_client = fresh.client();
        for (&session, body) in &acknowledged {
            let reply = fresh_client
                .post(path, vas_form(session, 1).as_bytes())
                .unwrap();
            assert_eq!(reply.status, 201);
            assert_eq!(
                &reply.body, body,
                "session {session} differs from a sequential run"
            );
        }
    }

    // the same form 16 times at once: stored once
    let next = THREADS + 1;
    let replies = post_at_once(
        &server,
        path,
        (0..THREADS).map(|_| vas_form(next, 1)).collect(),
    );
    let created: Vec<_> = replies.iter().filter(|(s, _)| *s == 201).collect();
    assert_eq!(created.len(), 1, "{replies:?}");
    assert!(replies.iter().all(|(s, _)| matches!(s, 200 | 201)));
    assert!(replies.iter().all(|(_, body)| body == &created[0].1));
    assert_eq!(count_rows(&db, "sessions", "CONC"), n + 1);

    // 16 different forms for one session at once: one stored, the others conflict
    let last = next + 1;
    let bodies: Vec<String> = (0..THREADS)
        .map(|seed| vas_form(last, seed + 100))
        .collect();
    let replies = post_at_once(&server, path, bodies.clone());
    let winners: Vec<usize> = (0..replies.len())
        .filter(|&i| replies[i].0 == 201)
        .collect();
    assert_eq!(winners.len(), 1, "{replies:?}");
    for (status, body) in &replies {
        if *status != 201 {
            assert_eq!(*status, 409);
            let json: serde_json::Value = serde_json::from_slice(body).unwrap();
            assert_eq!(json["errors"][0]["code"], "session_conflict");
        }
    }
    let winner = winners[0];
    let again = client.post(path, bodies[winner].as_bytes()).unwrap();
    assert_eq!((again.status, &again.body), (200, &replies[winner].1));
    assert_eq!(count_rows(&db, "sessions", "CONC"), n + 2);
}
