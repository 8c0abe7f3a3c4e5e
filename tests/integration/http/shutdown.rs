//! Shutdown during a burst of signed requests: every accepted request is answered.

use super::*;

/// Shutdown in the middle of a burst: every request the server accepted is answered in full;
/// the only failures allowed are connections it never took.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_during_a_burst_answers_every_accepted_request() {
    let fake = FakeDiscord::start().await;
    let mut server = Server::start(&fake).await;
    let mut requests = Vec::new();
    for i in 0..60 {
        let body = fake_discord::ask(
            &fake_discord::token(),
            "When did Russia lift its arms embargo on Pakistan?",
        )
        .to_string()
        .into_bytes();
        let ts = now();
        let signature = server.sign(ts, &body);
        let url = format!("{}/interactions", server.url);
        requests.push(tokio::spawn(async move {
            // A client per request: each is its own connection, spread over 20 ms.
            tokio::time::sleep(Duration::from_millis(i % 20)).await;
            reqwest::Client::new()
                .post(url)
                .header("x-signature-ed25519", signature)
                .header("x-signature-timestamp", ts.to_string())
                .body(body)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }));
    }
    tokio::time::sleep(Duration::from_millis(8)).await;
    server.stop.take().unwrap().send(()).unwrap();
    let (mut answered, mut refused) = (0, 0);
    for request in requests {
        match request.await.unwrap() {
            Ok(status) => {
                assert_eq!(status, 200);
                answered += 1;
            }
            Err(err) => {
                assert!(not_accepted(&err), "an accepted request failed: {err:?}");
                refused += 1;
            }
        }
    }
    eprintln!("shutdown during a burst: {answered} answered, {refused} never accepted");
    assert!(answered > 0);
    let result = tokio::time::timeout(Duration::from_secs(10), &mut server.task)
        .await
        .expect("the server stopped")
        .unwrap();
    assert!(result.is_ok());
}

/// The server never took the connection: refused, or reset while still in the kernel's accept
/// queue when the listener closed. A request the server read and then dropped would show as an
/// incomplete message or a 5xx instead.
fn not_accepted(err: &reqwest::Error) -> bool {
    let mut source: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionRefused
            );
        }
        source = e.source();
    }
    err.is_connect()
}
