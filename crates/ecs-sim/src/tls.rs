//! Self-signed TLS for the emulator: a throw-away CA (rcgen) and a leaf certificate for
//! `127.0.0.1`, `::1` and `localhost`, so clients can test real verification against the CA PEM.

use std::sync::Arc;

use ecs_common::{Error, Result};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

/// The CA certificate clients should trust, and an acceptor serving the leaf it signed.
#[derive(Clone)]
pub(crate) struct TlsMaterial {
    /// PEM of the CA certificate.
    pub(crate) ca_pem: String,
    /// Accepts TLS connections with the leaf certificate.
    pub(crate) acceptor: TlsAcceptor,
}

impl std::fmt::Debug for TlsMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsMaterial").finish_non_exhaustive()
    }
}

fn tls_error(what: &str, error: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::internal(format!("cannot {what}")).with_source(error)
}

/// Generates a CA and a leaf certificate, and builds the server configuration.
pub(crate) fn generate() -> Result<TlsMaterial> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new())
        .map_err(|e| tls_error("build CA parameters", e))?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "ecs-sim test CA");
    let ca_key = KeyPair::generate().map_err(|e| tls_error("generate CA key", e))?;
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key)
        .map_err(|e| tls_error("sign CA certificate", e))?;

    let names = vec![
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
        "localhost".to_owned(),
    ];
    let mut leaf_params =
        CertificateParams::new(names).map_err(|e| tls_error("build leaf parameters", e))?;
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "ecs-sim");
    let leaf_key = KeyPair::generate().map_err(|e| tls_error("generate leaf key", e))?;
    let leaf = leaf_params
        .signed_by(&leaf_key, &ca)
        .map_err(|e| tls_error("sign leaf certificate", e))?;

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let chain: Vec<CertificateDer<'static>> = vec![leaf.der().clone(), ca.der().clone()];
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error("choose TLS versions", e))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| tls_error("install the certificate", e))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsMaterial {
        ca_pem: ca.pem(),
        acceptor: TlsAcceptor::from(Arc::new(config)),
    })
}
