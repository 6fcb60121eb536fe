//! The HTTP listener (`ASUH_LISTEN`): one port for everything asuh serves over HTTP, behind the operator's
//! TLS proxy or load balancer. Today that is Telegram's webhook ([`crate::telegram::webhook::routes`]);
//! whoever serves more merges their routes into the [`Router`] given to [`serve`].

use anyhow::Context;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use axum::Router;

/// Binds the listening address, so that a port in use stops the start with a clear error.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (ASUH_LISTEN)"))
}

/// Serves `router` until `shutdown` turns true, then lets the requests in hand finish.
pub async fn serve(listener: TcpListener, router: Router, mut shutdown: watch::Receiver<bool>) {
    let addr = listener.local_addr().ok();
    tracing::info!(address = ?addr, "listening for HTTP");
    let stop = async move {
        while !*shutdown.borrow() {
            if shutdown.changed().await.is_err() {
                break;
            }
        }
    };
    if let Err(e) = axum::serve(listener, router)
        .with_graceful_shutdown(stop)
        .await
    {
        tracing::error!(error = %e, "the HTTP listener failed");
    }
}
