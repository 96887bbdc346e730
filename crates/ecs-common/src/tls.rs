//! TLS options shared by the management and S3 clients: verify by default, trust an extra CA
//! when given, and skip verification only when explicitly asked.

use std::fmt;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::{Error, ErrorKind, Result};

/// How a client verifies the server's certificate.
///
/// ```
/// use ecs_common::TlsOptions;
/// let strict = TlsOptions::default();
/// assert!(!strict.is_insecure());
/// let config = strict.rustls_client_config().unwrap();
/// assert!(config.alpn_protocols.is_empty());
/// ```
#[derive(Clone, Default)]
pub struct TlsOptions {
    extra_roots: Vec<CertificateDer<'static>>,
    insecure: bool,
}

impl TlsOptions {
    /// Trusts the certificates of a PEM bundle in addition to the system roots.
    ///
    /// Fails with [`ErrorKind::InvalidInput`] when the text holds no certificate.
    pub fn with_ca_pem(mut self, pem: &str) -> Result<Self> {
        let certs: Vec<_> = CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<_, _>>()
            .map_err(|err| {
                Error::invalid_input(format!("the CA certificate is not valid PEM: {err}"))
            })?;
        if certs.is_empty() {
            return Err(Error::invalid_input(
                "the CA certificate holds no PEM certificate",
            ));
        }
        self.extra_roots.extend(certs);
        Ok(self)
    }

    /// Accepts any server certificate. Only for test systems, and only when asked for.
    #[must_use]
    pub fn danger_accept_invalid_certs(mut self, insecure: bool) -> Self {
        self.insecure = insecure;
        self
    }

    /// Whether certificate verification is off.
    pub fn is_insecure(&self) -> bool {
        self.insecure
    }

    /// The extra CA certificates (DER), beyond the system roots.
    pub fn extra_roots(&self) -> &[CertificateDer<'static>] {
        &self.extra_roots
    }

    /// Builds a rustls client configuration that implements these options.
    pub fn rustls_client_config(&self) -> Result<rustls::ClientConfig> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|err| tls_error("cannot set up TLS protocol versions", err))?;
        let config = if self.insecure {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnyCert { provider }))
                .with_no_client_auth()
        } else {
            builder
                .with_root_certificates(self.root_store()?)
                .with_no_client_auth()
        };
        Ok(config)
    }

    fn root_store(&self) -> Result<RootCertStore> {
        let mut roots = RootCertStore::empty();
        // Unreadable system certificates are skipped: an extra CA may still be enough.
        let native = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(native.certs);
        for cert in &self.extra_roots {
            roots
                .add(cert.clone())
                .map_err(|err| tls_error("the CA certificate cannot be used as a root", err))?;
        }
        Ok(roots)
    }
}

impl fmt::Debug for TlsOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsOptions")
            .field("extra_roots", &self.extra_roots.len())
            .field("insecure", &self.insecure)
            .finish()
    }
}

fn tls_error(message: &str, err: rustls::Error) -> Error {
    Error::new(ErrorKind::Tls, message).with_source(err)
}

/// A verifier that accepts every certificate but still checks handshake signatures.
#[derive(Debug)]
struct AcceptAnyCert {
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for AcceptAnyCert {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_ca_is_invalid_input() {
        let err = TlsOptions::default().with_ca_pem("not a pem").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
    }

    #[test]
    fn insecure_is_explicit_and_builds() {
        let options = TlsOptions::default().danger_accept_invalid_certs(true);
        assert!(options.is_insecure());
        options.rustls_client_config().unwrap();
        assert!(format!("{options:?}").contains("insecure: true"));
    }
}
