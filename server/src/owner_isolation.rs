//! Each request keeps its own Leptos reactive owner.
//!
//! Leptos keeps "the current owner" (whose context `use_context` reads:
//! the response's headers and cookies, the request's parts) in a
//! thread-local. Starting a page render sets it (`Owner::new_root`) and
//! nothing unsets it, so it stays behind on the worker thread. Tokio polls
//! many requests on one thread: the next request polled there, a server
//! function or a file from the fallback handler, made its owner
//! (`Owner::new()`) a child of that page's. It then read the page's
//! context, wrote into the page's arena, and was cleaned up when the page
//! finished: under concurrent load a response could lose its own headers
//! or carry another's.
//!
//! This layer gives every request, and its response body, a slot of its
//! own: before each poll the thread's owner is set to what this request
//! left there last time (nothing at first), and after the poll it is saved
//! and the thread cleared. A request therefore sees exactly what it would
//! see if it ran alone, and never what another left behind.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use leptos::reactive::owner::{Owner, WeakOwner};

pub async fn isolate(request: Request, next: Next) -> Response {
    let mut slot = Slot::default();
    let response = Isolated {
        inner: Box::pin(next.run(request)),
        slot: &mut slot,
    }
    .await;
    // The body may still run the render's last steps (Leptos cleans the
    // page's owner up when its stream ends): it continues from this slot.
    response.map(|body| Body::new(IsolatedBody { inner: body, slot }))
}

/// What one request left as the current owner.
#[derive(Default)]
struct Slot(Option<WeakOwner>);

impl Slot {
    fn enter(&self) {
        clear();
        if let Some(owner) = self.0.as_ref().and_then(WeakOwner::upgrade) {
            owner.set();
        }
    }

    fn leave(&mut self) {
        self.0 = Owner::current().map(|owner| owner.downgrade());
        clear();
    }

    fn around<T>(&mut self, poll: impl FnOnce() -> T) -> T {
        self.enter();
        let result = poll();
        self.leave();
        result
    }
}

fn clear() {
    if let Some(owner) = Owner::current() {
        owner.unset();
    }
}

struct Isolated<'a, F> {
    inner: Pin<Box<F>>,
    slot: &'a mut Slot,
}

impl<F: Future> Future for Isolated<'_, F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        let inner = &mut this.inner;
        this.slot.around(|| inner.as_mut().poll(cx))
    }
}

struct IsolatedBody {
    inner: Body,
    slot: Slot,
}

impl http_body::Body for IsolatedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        let inner = &mut this.inner;
        this.slot.around(|| Pin::new(&mut *inner).poll_frame(cx))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
