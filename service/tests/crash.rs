//! Crash safety: the server is killed (SIGKILL) in the middle of a stream of posts, three
//! times, and restarted on the same database each time.
//!
//! Checked: every post acknowledged before a kill is stored (posting it again gets 200 and the
//! same bytes); the post that may have been in flight, posted again, gets 201 or 200 and the
//! reply of an uninterrupted run; every reply, before and after the kills, is byte for byte
//! the reply of an uninterrupted run against a fresh database, and so is the final course.

// A failed request is a failed test: unwrapping is the point here.
#![allow(clippy::unwrap_used)]

mod common;

use common::{SamplePost, Server, post_all_new, sample_posts, uninterrupted_replies};
use std::sync::mpsc;

/// What the posting thread saw of one post.
enum Seen {
    Reply(usize, u16, Vec<u8>),
    Failed(usize),
}

#[test]
fn killed_mid_stream_and_restarted() {
    let posts = sample_posts();
    let dyads = ["C01-T01", "C02-T02", "C03-T01"];

    // the uninterrupted run
    let reference_dir = tempfile::tempdir().unwrap();
    let (reference, reference_courses) = {
        let server = Server::start(&reference_dir.path().join("service.db"));
        let mut client = server.client();
        let replies: Vec<Vec<u8>> = posts
            .iter()
            .map(|p| {
                let reply = client.post(&p.path(), p.body.as_bytes()).unwrap();
                assert_eq!(reply.status, 201, "{}", reply.text());
                reply.body
            })
            .collect();
        let courses: Vec<Vec<u8>> = dyads
            .iter()
            .map(|d| client.get(&format!("/dyads/{d}")).unwrap().body)
            .collect();
        (replies, courses)
    };

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("service.db");
    let mut next = 0;
    let mut acknowledged: Vec<usize> = Vec::new();
    let kills = [posts.len() / 4, posts.len() / 2, 3 * posts.len() / 4];
    for (round, &kill_after) in kills.iter().chain([&usize::MAX]).enumerate() {
        let mut server = Server::start(&db);
        let (seen, events) = mpsc::channel();
        let poster = {
            let addr = server.addr;
            let todo: Vec<(usize, SamplePost)> =
                posts.iter().cloned().enumerate().skip(next).collect();
            std::thread::spawn(move || {
                let mut client = common::http::Client::new(addr);
                for (i, post) in todo {
                    match client.post(&post.path(), post.body.as_bytes()) {
                        Ok(reply) => {
                            let _ = seen.send(Seen::Reply(i, reply.status, reply.body));
                        }
                        Err(_) => {
                            let _ = seen.send(Seen::Failed(i));
                            return;
                        }
                    }
                }
            })
        };
        let mut in_flight = None;
        let mut killed = false;
        for event in events {
            match event {
                Seen::Reply(i, status, body) => {
                    if i == next && round > 0 {
                        eprintln!("round {round}: post {i} posted again: {status}");
                    }
                    // the first post of a round may be the one in flight at the last kill
                    let expected: &[u16] = if i == next { &[200, 201] } else { &[201] };
                    assert!(expected.contains(&status), "post {i}: status {status}");
                    assert_eq!(
                        body, reference[i],
                        "post {i} (round {round}) differs from an uninterrupted run"
                    );
                    acknowledged.push(i);
                    if !killed && acknowledged.len() >= kill_after {
                        // the poster is sending the next post (or about to): kill mid-stream
                        server.kill();
                        killed = true;
                    }
                }
                Seen::Failed(i) => in_flight = Some(i),
            }
        }
        poster.join().unwrap();
        eprintln!(
            "round {round}: {} acknowledged so far, killed: {killed}, in flight: {in_flight:?}",
            acknowledged.len()
        );
        match in_flight {
            Some(i) => next = i,
            None => {
                assert_eq!(acknowledged.len(), posts.len(), "round {round} ended early");
                break;
            }
        }
        drop(server);
    }

    // every acknowledged post is stored, and the courses are those of the uninterrupted run
    let server = Server::start(&db);
    let mut client = server.client();
    assert_eq!(acknowledged, (0..posts.len()).collect::<Vec<_>>());
    for &i in &acknowledged {
        let reply = client
            .post(&posts[i].path(), posts[i].body.as_bytes())
            .unwrap();
        assert_eq!(
            (reply.status, &reply.body),
            (200, &reference[i]),
            "post {i}"
        );
    }
    for (dyad, want) in dyads.iter().zip(&reference_courses) {
        let course = client.get(&format!("/dyads/{dyad}")).unwrap();
        assert_eq!(&course.body, want, "the course of {dyad}");
    }
}

#[test]
fn a_post_whose_reply_was_lost_in_a_kill_is_found_again() {
    let posts: Vec<SamplePost> = sample_posts()
        .into_iter()
        .filter(|p| p.dyad == "C03-T01")
        .collect();
    let reference = uninterrupted_replies(&posts);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("service.db");
    let lost = posts.len() / 2;
    let mut server = Server::start(&db);
    let mut client = server.client();
    post_all_new(&mut client, &posts[..lost]);
    // the post is sent, its reply never read; once it is stored, the server is killed
    {
        use std::io::Write;
        let post = &posts[lost];
        let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
        write!(
            stream,
            "POST {} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
            post.path(),
            post.body.len(),
            post.body
        )
        .unwrap();
        let stored = lost as i64 + 1;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while common::count_rows(&db, "sessions", "C03-T01") < stored {
            assert!(
                std::time::Instant::now() < deadline,
                "the post was not stored"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        server.kill();
    }
    let server = Server::start(&db);
    let mut client = server.client();
    let again = client
        .post(&posts[lost].path(), posts[lost].body.as_bytes())
        .unwrap();
    assert_eq!((again.status, &again.body), (200, &reference[lost]));
    for (post, want) in posts.iter().zip(&reference).skip(lost + 1) {
        let reply = client.post(&post.path(), post.body.as_bytes()).unwrap();
        assert_eq!((reply.status, &reply.body), (201, want));
    }
}
