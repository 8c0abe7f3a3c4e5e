//! The HTTP endpoint's accept loop: what an unauthenticated client can hold is bounded.
//!
//! - At most [`Limits::max_connections`] connections at once (a semaphore, kept below the
//!   process's file-descriptor limit, whose soft value is raised to the hard one at start);
//!   beyond it a connection gets a `503` and is closed at once instead of waiting in the
//!   kernel's queue.
//! - At most [`Limits::max_per_peer`] of them from one address, so that one peer re-opening
//!   connections as fast as it can leaves room for everyone else. (Discord's own requests come
//!   from few addresses, so the share is generous: half.)
//! - The request head must arrive within [`Limits::header_timeout`] of the connection opening,
//!   or of the previous response on a kept-alive connection (hyper's header read timeout): an
//!   idle, trickling or kept-alive-but-silent connection is closed then.
//! - The body's own timeout is the handler's (see `http.rs`), as it is read there.
//!
//! axum's `serve` exposes none of these, so the loop is hyper's HTTP/1 connection driven
//! here, with the same graceful shutdown: stop accepting, let accepted connections deliver
//! their request for a moment, then finish every request in flight and close.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tracing::{debug, info, warn};

/// The bounds on connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_connections: usize,
    /// Connections one address may hold at once.
    pub max_per_peer: usize,
    pub header_timeout: Duration,
    /// After shutdown starts, how long connections already accepted may take to send their
    /// request before idle ones are closed.
    pub drain: Duration,
}

/// Descriptors kept for everything that is not a client connection: the index's files, the
/// REST client's connections to Discord, logs.
pub const RESERVED_FDS: u64 = 256;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 4096,
            max_per_peer: 2048,
            header_timeout: Duration::from_secs(5),
            drain: Duration::from_millis(250),
        }
    }
}

impl Limits {
    /// These limits within `fd_limit` open files: the connection cap is lowered (with a
    /// warning) so that accepting never runs the process out of descriptors.
    pub fn within(self, fd_limit: Option<u64>) -> Limits {
        let Some(fds) = fd_limit else {
            return self;
        };
        let room = usize::try_from(fds.saturating_sub(RESERVED_FDS))
            .unwrap_or(usize::MAX)
            .max(1);
        if room < self.max_connections {
            warn!(
                open_files = fds,
                wanted = self.max_connections,
                allowed = room,
                "the open-file limit (ulimit -n) is low for the connection cap; raise it to serve more connections"
            );
            return Limits {
                max_connections: room,
                max_per_peer: self.max_per_peer.min(room / 2).max(1),
                ..self
            };
        }
        self
    }
}

/// Raises this process's soft limit on open files to its hard limit, as Go's runtime and most
/// servers do at start: the connection cap follows it. The soft and hard limits after (`None`:
/// unlimited), and the soft one before.
pub fn raise_open_file_limit() -> OpenFiles {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let before = getrlimit(Resource::Nofile);
    if before.current != before.maximum {
        // A hard limit above the kernel's `fs.nr_open` (or unlimited) cannot be the soft one:
        // then the kernel's default ceiling, 2^20.
        let to = |soft: Option<u64>| Rlimit {
            current: soft,
            maximum: before.maximum,
        };
        let ceiling = before.maximum.map_or(1 << 20, |hard| hard.min(1 << 20));
        if let Err(err) = setrlimit(Resource::Nofile, to(before.maximum))
            .or_else(|_| setrlimit(Resource::Nofile, to(Some(ceiling))))
        {
            warn!(error = %err, "cannot raise the open-file limit");
        }
    }
    let after = getrlimit(Resource::Nofile);
    info!(
        was = before.current,
        soft = after.current,
        hard = after.maximum,
        "open-file limit"
    );
    OpenFiles {
        was: before.current,
        soft: after.current,
        hard: after.maximum,
    }
}

/// The open-file limits of this process.
#[derive(Debug, Clone, Copy)]
pub struct OpenFiles {
    pub was: Option<u64>,
    pub soft: Option<u64>,
    pub hard: Option<u64>,
}

/// How many connections each address holds; a connection's [`PeerSlot`] gives its place back.
#[derive(Default)]
struct Peers(Mutex<HashMap<IpAddr, usize>>);

struct PeerSlot {
    peers: Arc<Peers>,
    ip: IpAddr,
}

impl Peers {
    /// A place for one more connection from `ip`, if it holds fewer than `max`.
    fn take(self: &Arc<Self>, ip: IpAddr, max: usize) -> Option<PeerSlot> {
        let mut held = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = held.entry(ip).or_default();
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(PeerSlot {
            peers: self.clone(),
            ip,
        })
    }
}

impl Drop for PeerSlot {
    fn drop(&mut self) {
        let mut held = self.peers.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = held.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                held.remove(&self.ip);
            }
        }
    }
}

/// The answer to a connection over the cap; written only if the socket takes it at once.
const BUSY: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

/// Serves `router` on `listener` within `limits` until `shutdown` resolves; returns when every
/// accepted connection is closed.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let peers = Arc::new(Peers::default());
    // `closing` tells connections to finish; each holds a `done` receiver until it closes.
    let (closing_tx, closing_rx) = watch::channel(false);
    let (done_tx, done_rx) = watch::channel(());
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(64 * 1024);
    let mut refused = 0u64;
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(connection) => connection,
                Err(err) => {
                    warn!(error = %err, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Some(slot) = peers.take(peer.ip(), limits.max_per_peer) else {
            debug!(%peer, max = limits.max_per_peer, "one address's connection limit reached");
            let _ = stream.try_write(BUSY);
            continue;
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            if refused == 0 {
                warn!(
                    max = limits.max_connections,
                    "connection limit reached; refusing new connections"
                );
            }
            refused += 1;
            let _ = stream.try_write(BUSY);
            continue;
        };
        if refused > 0 {
            info!(refused, "accepting connections again");
            refused = 0;
        }
        let held = (permit, slot, done_rx.clone());
        spawn_connection(
            &builder,
            stream,
            peer,
            router.clone(),
            closing_rx.clone(),
            held,
        );
    }
    // Stop accepting: connections still in the kernel's queue are reset, not left hanging.
    drop(listener);
    info!("shutting down: no new connections; finishing accepted requests");
    tokio::time::sleep(limits.drain).await;
    let _ = closing_tx.send(true);
    drop(done_rx);
    done_tx.closed().await;
}

/// Serves one accepted connection until it closes, or until `closing` turns true and it has
/// finished gracefully. What it `held` (its permit, its peer's slot, a `done` receiver) is
/// released when it ends.
fn spawn_connection<H: Send + 'static>(
    builder: &http1::Builder,
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    mut closing: watch::Receiver<bool>,
    held: H,
) {
    let _ = stream.set_nodelay(true);
    let connection =
        builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(router));
    tokio::spawn(async move {
        let _held = held;
        tokio::pin!(connection);
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(err) = result {
                    debug!(%peer, error = %err, "connection ended");
                }
                return;
            }
            _ = closing.wait_for(|c| *c) => {}
        }
        connection.as_mut().graceful_shutdown();
        if let Err(err) = connection.await {
            debug!(%peer, error = %err, "connection ended during shutdown");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_file_limit_bounds_the_caps() {
        let capped = Limits::default().within(Some(1024));
        assert_eq!(capped.max_connections, 1024 - RESERVED_FDS as usize);
        assert_eq!(capped.max_per_peer, capped.max_connections / 2);
        assert_eq!(Limits::default().within(Some(1_000_000)), Limits::default());
        assert_eq!(Limits::default().within(None), Limits::default());
        let tiny = Limits::default().within(Some(10));
        assert_eq!((tiny.max_connections, tiny.max_per_peer), (1, 1));
    }

    #[test]
    fn one_address_holds_at_most_its_share() {
        let peers = Arc::new(Peers::default());
        let (a, b): (IpAddr, IpAddr) = ("127.0.0.1".parse().unwrap(), "127.0.0.2".parse().unwrap());
        let held: Vec<PeerSlot> = (0..3).filter_map(|_| peers.take(a, 2)).collect();
        assert_eq!(held.len(), 2);
        assert!(peers.take(b, 2).is_some(), "another address still gets in");
        drop(held);
        assert!(peers.take(a, 2).is_some(), "places are given back");
    }

    #[test]
    fn the_soft_open_file_limit_is_raised() {
        let files = raise_open_file_limit();
        let (was, soft) = (
            files.was.unwrap_or(u64::MAX),
            files.soft.unwrap_or(u64::MAX),
        );
        assert!(soft >= was, "{files:?}");
        assert!(
            soft >= files.hard.unwrap_or(u64::MAX).min(1 << 20),
            "{files:?}"
        );
    }
}
