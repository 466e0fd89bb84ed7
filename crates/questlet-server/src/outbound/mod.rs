//! Outbound HTTP to partners' URLs: the one way the server calls out (HTTP-request tasks
//! now; webhooks and other partner calls join it). Every call goes through the operator's
//! [`OutboundPolicy`]: a host name is resolved by [`GuardedResolver`], which hands the
//! connector only permitted addresses (so the check holds after DNS resolution, and for
//! every redirect, whose host is resolved the same way); an address written in the URL is
//! checked before the call and on each redirect. Calls have a timeout and a cap on the
//! answer's size, and never use a proxy from the environment.

mod policy;
pub mod signature;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect;

pub use self::policy::{is_public, OutboundPolicy};

/// Most redirects followed.
const MAX_REDIRECTS: usize = 3;

/// How long a call may take, connecting and answering included.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// The largest answer read, in bytes.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Looks up a host name's addresses: the system's resolver in production, a stand-in in
/// tests (which must never reach a real network).
pub trait Lookup: Send + Sync + 'static {
    /// The addresses of `host`.
    fn lookup(&self, host: String) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>>;
}

/// The system's resolver.
#[derive(Debug, Default)]
pub struct SystemLookup;

impl Lookup for SystemLookup {
    fn lookup(&self, host: String) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>> {
        Box::pin(async move {
            Ok(tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .map(|addr| addr.ip())
                .collect())
        })
    }
}

/// Why an outbound call did not get an answer.
#[derive(Debug, thiserror::Error)]
pub enum OutboundError {
    /// The URL is not an absolute `http(s)` URL.
    #[error("the URL is not an absolute http(s) URL")]
    BadUrl,
    /// The host is (or resolves only to) addresses the policy forbids.
    #[error("{0} is not an address this server may call")]
    Forbidden(String),
    /// No answer within the timeout.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The answer is larger than the cap.
    #[error("the answer is larger than {0} bytes")]
    TooLarge(usize),
    /// Anything else (connection refused, TLS, too many redirects).
    #[error("{0}")]
    Failed(String),
}

/// A partner's answer.
#[derive(Debug, Clone)]
pub struct OutboundResponse {
    /// Its status.
    pub status: reqwest::StatusCode,
    /// Its headers.
    pub headers: reqwest::header::HeaderMap,
    /// Its body (at most the cap).
    pub body: Vec<u8>,
}

/// The outbound client (cheap to clone).
#[derive(Clone)]
pub struct Outbound {
    client: reqwest::Client,
    policy: Arc<OutboundPolicy>,
    timeout: Duration,
    max_body: usize,
}

impl std::fmt::Debug for Outbound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbound")
            .field("policy", &self.policy)
            .field("timeout", &self.timeout)
            .field("max_body", &self.max_body)
            .finish()
    }
}

/// The refusal a [`GuardedResolver`] answers, found again in reqwest's error chain.
#[derive(Debug, thiserror::Error)]
#[error("{0} resolves to no address this server may call")]
struct Refused(String);

/// Resolves host names with a [`Lookup`] and keeps only the addresses the policy permits:
/// the connector never sees another.
pub struct GuardedResolver {
    policy: Arc<OutboundPolicy>,
    lookup: Arc<dyn Lookup>,
}

impl GuardedResolver {
    /// The permitted addresses of `host`, or why there are none.
    pub async fn permitted(&self, host: &str) -> Result<Vec<IpAddr>, OutboundError> {
        let found = self
            .lookup
            .lookup(host.to_owned())
            .await
            .map_err(|e| OutboundError::Failed(format!("resolving {host}: {e}")))?;
        let permitted: Vec<IpAddr> = found
            .iter()
            .copied()
            .filter(|ip| self.policy.permits(*ip))
            .collect();
        if permitted.is_empty() {
            metrics::counter!("questlet_outbound_refused_total").increment(1);
            return Err(OutboundError::Forbidden(host.to_owned()));
        }
        Ok(permitted)
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let resolver = GuardedResolver {
            policy: self.policy.clone(),
            lookup: self.lookup.clone(),
        };
        Box::pin(async move {
            let host = name.as_str().to_owned();
            match resolver.permitted(&host).await {
                Ok(ips) => {
                    let addrs: Addrs = Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
                    Ok(addrs)
                }
                Err(OutboundError::Forbidden(host)) => Err(Box::new(Refused(host)) as _),
                Err(other) => Err(Box::new(other) as _),
            }
        })
    }
}

impl Outbound {
    /// A client under `policy`, resolving with `lookup`, with a `timeout` per call and a
    /// cap of `max_body` bytes on answers.
    pub fn new(
        policy: OutboundPolicy,
        lookup: Arc<dyn Lookup>,
        timeout: Duration,
        max_body: usize,
    ) -> Self {
        let policy = Arc::new(policy);
        let resolver = GuardedResolver {
            policy: policy.clone(),
            lookup,
        };
        let redirect_policy = policy.clone();
        let client = reqwest::Client::builder()
            .no_proxy()
            .dns_resolver(Arc::new(resolver))
            .timeout(timeout)
            .redirect(redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() >= MAX_REDIRECTS {
                    return attempt.error("too many redirects");
                }
                match literal_ip(attempt.url()) {
                    Some(ip) if !redirect_policy.permits(ip) => {
                        attempt.error(Refused(ip.to_string()))
                    }
                    _ => attempt.follow(),
                }
            }))
            .build()
            .expect("the outbound client builds");
        Self {
            client,
            policy,
            timeout,
            max_body,
        }
    }

    /// POSTs `body` (JSON) with `headers` to `url`; answers the status and the body.
    pub async fn post_json(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Result<OutboundResponse, OutboundError> {
        let mut headers = headers.to_vec();
        headers.push(("content-type", "application/json".to_owned()));
        self.send(reqwest::Method::POST, url, &headers, Some(body))
            .await
    }

    /// GETs `url` with `headers`, under the same guard, timeout and size cap as
    /// [`Outbound::post_json`].
    pub async fn get(
        &self,
        url: &str,
        headers: &[(&str, String)],
    ) -> Result<OutboundResponse, OutboundError> {
        self.send(reqwest::Method::GET, url, headers, None).await
    }

    /// Sends one request under the guard: the URL's literal address is checked here, a
    /// name's addresses by the resolver, and redirects by the client's policy.
    async fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        headers: &[(&str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<OutboundResponse, OutboundError> {
        let url = reqwest::Url::parse(url).map_err(|_| OutboundError::BadUrl)?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(OutboundError::BadUrl);
        }
        if let Some(ip) = literal_ip(&url) {
            if !self.policy.permits(ip) {
                metrics::counter!("questlet_outbound_refused_total").increment(1);
                return Err(OutboundError::Forbidden(ip.to_string()));
            }
        }
        let mut request = self.client.request(method, url);
        if let Some(body) = body {
            request = request.body(body);
        }
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let mut response = request.send().await.map_err(|e| self.error(e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.error(e))? {
            if body.len() + chunk.len() > self.max_body {
                return Err(OutboundError::TooLarge(self.max_body));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(OutboundResponse {
            status,
            headers,
            body,
        })
    }

    /// Our error for reqwest's: a refusal of the guard, a timeout, or a failure.
    fn error(&self, error: reqwest::Error) -> OutboundError {
        if error.is_timeout() {
            return OutboundError::Timeout(self.timeout);
        }
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
        while let Some(cause) = source {
            if let Some(Refused(host)) = cause.downcast_ref::<Refused>() {
                return OutboundError::Forbidden(host.clone());
            }
            source = cause.source();
        }
        OutboundError::Failed(error.to_string())
    }
}

/// The IP address a URL names directly (no DNS lookup is made for it).
fn literal_ip(url: &reqwest::Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        url::Host::Domain(_) => None,
    }
}
