//! Network probes below HTTP: name resolution, TCP connect, and the TLS handshake, with an
//! explanation of what certificate verification refused (and what `insecure` would hide).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use ecs_common::TlsOptions;
use rustls::pki_types::ServerName;
use rustls::{CertificateError, Error as TlsError};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;
use url::Url;

/// How long one connect or handshake may take before the doctor calls it unreachable.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// Host and port of an endpoint URL, plus whether it uses TLS.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) https: bool,
}

impl Target {
    /// The target of an `http(s)://host:port` URL.
    pub(crate) fn from_url(url: &Url) -> Result<Self, String> {
        let https = match url.scheme() {
            "https" => true,
            "http" => false,
            other => return Err(format!("scheme {other:?} is neither http nor https")),
        };
        let host = url
            .host_str()
            .ok_or_else(|| format!("{url} has no host"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = url
            .port_or_known_default()
            .unwrap_or(if https { 443 } else { 80 });
        Ok(Target { host, port, https })
    }

    /// `host:port`, for messages.
    pub(crate) fn authority(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// Resolves the target's host name to socket addresses.
pub(crate) async fn resolve(target: &Target) -> Result<Vec<SocketAddr>, String> {
    let lookup = tokio::net::lookup_host((target.host.as_str(), target.port));
    match timeout(PROBE_TIMEOUT, lookup).await {
        Ok(Ok(addrs)) => {
            let addrs: Vec<_> = addrs.collect();
            if addrs.is_empty() {
                Err(format!("{} resolves to no address", target.host))
            } else {
                Ok(addrs)
            }
        }
        Ok(Err(err)) => Err(format!("cannot resolve {}: {err}", target.host)),
        Err(_) => Err(format!(
            "resolving {} took longer than {PROBE_TIMEOUT:?}",
            target.host
        )),
    }
}

/// Connects to the first address that accepts; returns it, or why none did.
pub(crate) async fn connect(addrs: &[SocketAddr]) -> Result<SocketAddr, String> {
    let mut failures = Vec::new();
    for addr in addrs {
        match timeout(PROBE_TIMEOUT, TcpStream::connect(addr)).await {
            Ok(Ok(_stream)) => return Ok(*addr),
            Ok(Err(err)) => failures.push(format!("{addr}: {err}")),
            Err(_) => failures.push(format!("{addr}: no answer within {PROBE_TIMEOUT:?}")),
        }
    }
    Err(failures.join("; "))
}

/// What the TLS handshake showed.
#[derive(Debug)]
pub(crate) enum TlsOutcome {
    /// The certificate verified against the trusted roots and matches the host name.
    Verified { certificate: Option<String> },
    /// Verification refused the certificate; `insecure` would accept it silently.
    Refused {
        problem: CertProblem,
        reason: String,
        certificate: Option<String>,
    },
    /// No handshake at all (the port does not speak TLS, or the connection broke).
    Broken { reason: String },
}

/// Why certificate verification refused, as far as the fix is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CertProblem {
    /// Not signed by a trusted CA (self-signed, private CA not configured, wrong CA given).
    UnknownIssuer,
    /// Valid, but for other host names.
    WrongName,
    /// Expired or not valid yet (check the clocks too).
    Dates,
    /// Anything else (bad signature, revoked, unsupported algorithm).
    Other,
}

/// Shakes hands with verification as configured (always verifying, even when the store says
/// `insecure`, so the doctor can say what `insecure` hides); on refusal, shakes hands again
/// without verification to describe the certificate the server presents.
pub(crate) async fn probe_tls(addr: SocketAddr, target: &Target, tls: &TlsOptions) -> TlsOutcome {
    let strict = tls.clone().danger_accept_invalid_certs(false);
    match handshake(addr, target, &strict).await {
        Ok(certificate) => TlsOutcome::Verified { certificate },
        Err(HandshakeError::Refused(problem, reason)) => {
            let lenient = tls.clone().danger_accept_invalid_certs(true);
            let certificate = handshake(addr, target, &lenient).await.ok().flatten();
            TlsOutcome::Refused {
                problem,
                reason,
                certificate,
            }
        }
        Err(HandshakeError::Broken(reason)) => TlsOutcome::Broken { reason },
    }
}

enum HandshakeError {
    Refused(CertProblem, String),
    Broken(String),
}

/// One handshake; returns a description of the server's leaf certificate.
async fn handshake(
    addr: SocketAddr,
    target: &Target,
    tls: &TlsOptions,
) -> Result<Option<String>, HandshakeError> {
    let config = tls
        .rustls_client_config()
        .map_err(|err| HandshakeError::Broken(format!("cannot set up TLS: {err}")))?;
    let name = ServerName::try_from(target.host.clone()).map_err(|err| {
        HandshakeError::Broken(format!("{} is not a valid TLS name: {err}", target.host))
    })?;
    let stream = timeout(PROBE_TIMEOUT, TcpStream::connect(addr))
        .await
        .map_err(|_| HandshakeError::Broken("connect timed out".into()))?
        .map_err(|err| HandshakeError::Broken(format!("connect failed: {err}")))?;
    let connector = TlsConnector::from(Arc::new(config));
    let stream = timeout(PROBE_TIMEOUT, connector.connect(name, stream))
        .await
        .map_err(|_| HandshakeError::Broken(format!("no TLS handshake within {PROBE_TIMEOUT:?}")))?
        .map_err(classify_handshake_error)?;
    let (_, session) = stream.get_ref();
    Ok(session
        .peer_certificates()
        .and_then(|chain| chain.first())
        .map(|leaf| describe_certificate(leaf.as_ref())))
}

fn classify_handshake_error(err: std::io::Error) -> HandshakeError {
    let Some(tls) = err
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<TlsError>())
    else {
        return HandshakeError::Broken(format!("the TLS handshake failed: {err}"));
    };
    match tls {
        TlsError::InvalidCertificate(cert) => {
            HandshakeError::Refused(cert_problem(cert), describe_cert_error(cert))
        }
        other => HandshakeError::Broken(format!("the TLS handshake failed: {other}")),
    }
}

fn cert_problem(error: &CertificateError) -> CertProblem {
    match error {
        CertificateError::UnknownIssuer => CertProblem::UnknownIssuer,
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            CertProblem::WrongName
        }
        CertificateError::Expired
        | CertificateError::ExpiredContext { .. }
        | CertificateError::NotValidYet
        | CertificateError::NotValidYetContext { .. } => CertProblem::Dates,
        _ => CertProblem::Other,
    }
}

fn describe_cert_error(error: &CertificateError) -> String {
    match error {
        CertificateError::UnknownIssuer => {
            "the certificate is not signed by a trusted CA (unknown issuer)".to_owned()
        }
        CertificateError::NotValidForNameContext {
            expected,
            presented,
        } => format!(
            "the certificate is valid for {} but not for {}",
            presented.join(", "),
            expected.to_str()
        ),
        CertificateError::NotValidForName => {
            "the certificate is not valid for this host name".to_owned()
        }
        CertificateError::ExpiredContext { not_after, .. } => {
            format!(
                "the certificate expired at {}",
                unix_to_text(not_after.as_secs())
            )
        }
        CertificateError::Expired => "the certificate has expired".to_owned(),
        CertificateError::NotValidYetContext { not_before, .. } => {
            format!(
                "the certificate is not valid before {}",
                unix_to_text(not_before.as_secs())
            )
        }
        CertificateError::NotValidYet => "the certificate is not valid yet".to_owned(),
        other => format!("the certificate was refused: {other:?}"),
    }
}

fn unix_to_text(seconds: u64) -> String {
    i64::try_from(seconds)
        .ok()
        .and_then(|seconds| time::OffsetDateTime::from_unix_timestamp(seconds).ok())
        .and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| format!("unix time {seconds}"))
}

/// `subject ..., issued by ..., names ..., valid until ...` for a DER certificate.
pub(crate) fn describe_certificate(der: &[u8]) -> String {
    use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};
    let Ok((_, cert)) = X509Certificate::from_der(der) else {
        return "an unparsable certificate".to_owned();
    };
    let names: Vec<String> = cert
        .subject_alternative_name()
        .ok()
        .flatten()
        .map(|san| {
            san.value
                .general_names
                .iter()
                .filter_map(|name| match name {
                    GeneralName::DNSName(dns) => Some((*dns).to_owned()),
                    GeneralName::IPAddress(bytes) => ip_text(bytes),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let until = unix_to_text(u64::try_from(cert.validity().not_after.timestamp()).unwrap_or(0));
    format!(
        "subject \"{}\", issued by \"{}\", names [{}], valid until {until}",
        cert.subject(),
        cert.issuer(),
        names.join(", ")
    )
}

fn ip_text(bytes: &[u8]) -> Option<String> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes)
            .ok()
            .map(|b| std::net::Ipv4Addr::from(b).to_string()),
        16 => <[u8; 16]>::try_from(bytes)
            .ok()
            .map(|b| std::net::Ipv6Addr::from(b).to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_takes_default_ports_and_strips_ipv6_brackets() {
        let target = Target::from_url(&Url::parse("https://ecs.example").unwrap()).unwrap();
        assert_eq!((target.port, target.https), (443, true));
        let target = Target::from_url(&Url::parse("http://[::1]:9020").unwrap()).unwrap();
        assert_eq!(target.authority(), "::1:9020");
        assert!(Target::from_url(&Url::parse("ftp://x").unwrap()).is_err());
    }

    #[test]
    fn describes_a_generated_certificate() {
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()])
            .unwrap()
            .cert;
        let text = describe_certificate(cert.der());
        assert!(text.contains("names [localhost, 127.0.0.1]"), "{text}");
    }

    #[tokio::test]
    async fn refused_connection_is_reported() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let err = connect(&[addr]).await.unwrap_err();
        assert!(err.contains(&addr.to_string()), "{err}");
    }
}
