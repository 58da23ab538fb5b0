//! The OCSP responder against OpenSSL's client: good, revoked with its reason, unknown
//! for a serial the records never issued and for another CA's certificate, every
//! answer signed by the issuing CA and verified; the GET form; garbage refused as
//! `malformedRequest`.

use std::path::Path;
use std::process::Command;

use der::EncodePem;
use qoltanba_domain::{CertificateProfile, KeyPurpose, Template};

use crate::applications::{apply, certificates, head, served_pki};
use crate::cabinet::revoke;
use crate::phone_checks::HEAD;
use crate::{spawn_app, TestApp};

/// `OCSPResponse { responseStatus malformedRequest }`.
const MALFORMED: [u8; 5] = [0x30, 0x03, 0x0a, 0x01, 0x01];

/// `openssl <command>` (arguments split at spaces) in `dir`, off the runtime's thread
/// (the server answers on it): what it printed, stdout then stderr.
pub async fn openssl(dir: &Path, command: &str) -> String {
    let dir = dir.to_owned();
    let args: Vec<String> = command.split_whitespace().map(str::to_owned).collect();
    tokio::task::spawn_blocking(move || {
        let output = Command::new("openssl")
            .args(&args)
            .current_dir(&dir)
            .output()
            .expect("openssl runs");
        String::from_utf8_lossy(&output.stdout).to_string()
            + &String::from_utf8_lossy(&output.stderr)
    })
    .await
    .unwrap()
}

/// A self-signed certificate of another CA, `foreign.pem` in `dir`.
pub async fn foreign_certificate(dir: &Path) -> String {
    let subject = "/CN=Foreign-CA/O=Elsewhere/C=KZ";
    openssl(
        dir,
        &format!(
            "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
             -keyout foreign.key -out foreign.pem -subj {subject}"
        ),
    )
    .await;
    std::fs::read_to_string(dir.join("foreign.pem")).unwrap()
}

/// A head's certificate that our issuing CA signed but the records never issued.
pub fn never_issued(app: &TestApp) -> String {
    let key = qoltanba_pki::generate_key();
    app.state
        .applications
        .authority()
        .issue(
            head().distinguished_name().unwrap(),
            key.verifying_key(),
            KeyPurpose::Authentication,
            CertificateProfile::LegalEntity {
                template: Template::FirstHead,
            },
            time::OffsetDateTime::now_utc(),
        )
        .unwrap()
        .to_pem(der::pem::LineEnding::LF)
        .unwrap()
}

/// `openssl ocsp <options>` asking the app (files in `dir`): what it printed.
async fn ask(app: &TestApp, dir: &Path, options: &str) -> String {
    let url = app.url("/pki/ocsp");
    openssl(dir, &format!("ocsp -url {url} {options}")).await
}

fn status_line(output: &str, file: &str) -> String {
    output
        .lines()
        .find(|l| l.starts_with(&format!("{file}: ")))
        .unwrap_or_else(|| panic!("no status for {file} in\n{output}"))
        .to_owned()
}

#[tokio::test]
async fn openssl_hears_good_then_revoked_with_the_reason_and_unknown_for_others() {
    let app = spawn_app().await;
    let applied = apply(&app, "first_head", HEAD, &head()).await;
    let (auth, sign) = certificates(&app, &applied).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let chain = served_pki(&app, d).await;
    std::fs::write(d.join("chain.pem"), chain).unwrap();
    std::fs::write(d.join("auth.pem"), &auth).unwrap();
    std::fs::write(d.join("sign.pem"), &sign).unwrap();

    // The certificates send relying parties here.
    let uri = openssl(d, "x509 -noout -ocsp_uri -in auth.pem").await;
    assert!(uri.trim().ends_with("/pki/ocsp"), "{uri}");

    // Both certificates in one request, CertIDs by SHA-1 and by SHA-256, with a nonce.
    for digest in ["-sha1", "-sha256"] {
        let output = ask(
            &app,
            d,
            &format!(
                "{digest} -issuer issuing.pem -cert auth.pem -cert sign.pem \
                 -CAfile chain.pem -resp_text"
            ),
        )
        .await;
        assert!(output.contains("Response verify OK"), "{output}");
        // The nonce came back (OpenSSL warns otherwise), and the responder is named by
        // its key: hex, not a DN.
        assert!(output.contains("OCSP Nonce"), "{output}");
        assert!(!output.contains("WARNING"), "{output}");
        let responder = output
            .lines()
            .find_map(|l| l.trim().strip_prefix("Responder Id: "))
            .unwrap();
        assert!(
            responder.len() == 40 && responder.chars().all(|c| c.is_ascii_hexdigit()),
            "{responder}"
        );
        assert!(
            output.contains("Signature Algorithm: ecdsa-with-SHA384"),
            "{output}"
        );
        assert_eq!(status_line(&output, "auth.pem"), "auth.pem: good");
        assert_eq!(status_line(&output, "sign.pem"), "sign.pem: good");
        assert!(output.contains("Next Update:"), "{output}");
    }

    // Revoked through the API: the next answer says so, with the time and reason.
    assert_eq!(
        revoke(&app, &auth, &applied.authentication, None)
            .await
            .status(),
        204
    );
    let output = ask(
        &app,
        d,
        "-issuer issuing.pem -cert auth.pem -CAfile chain.pem",
    )
    .await;
    assert!(output.contains("Response verify OK"), "{output}");
    assert_eq!(status_line(&output, "auth.pem"), "auth.pem: revoked");
    assert!(output.contains("Reason: affiliationChanged"), "{output}");
    assert!(output.contains("Revocation Time:"), "{output}");

    // Our CA's signature on a serial the records never issued: unknown.
    std::fs::write(d.join("forged.pem"), never_issued(&app)).unwrap();
    let output = ask(
        &app,
        d,
        "-issuer issuing.pem -cert forged.pem -CAfile chain.pem",
    )
    .await;
    assert!(output.contains("Response verify OK"), "{output}");
    assert_eq!(status_line(&output, "forged.pem"), "forged.pem: unknown");

    // Another CA's certificate: unknown, still signed by our issuing CA (which OpenSSL
    // takes as the responder only when told to: it is not that certificate's issuer).
    foreign_certificate(d).await;
    let output = ask(
        &app,
        d,
        "-issuer foreign.pem -cert foreign.pem -VAfile issuing.pem",
    )
    .await;
    assert!(output.contains("Response verify OK"), "{output}");
    assert_eq!(status_line(&output, "foreign.pem"), "foreign.pem: unknown");
}

#[tokio::test]
async fn the_get_form_answers_and_garbage_is_a_malformed_request() {
    let app = spawn_app().await;
    let applied = apply(&app, "first_head", HEAD, &head()).await;
    let (auth, _) = certificates(&app, &applied).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let chain = served_pki(&app, d).await;
    std::fs::write(d.join("chain.pem"), chain).unwrap();
    std::fs::write(d.join("auth.pem"), &auth).unwrap();

    // RFC 6960 A.1: GET {url}/{url-encoding of base64 of the DER request}.
    openssl(
        d,
        "ocsp -issuer issuing.pem -cert auth.pem -no_nonce -reqout request.der",
    )
    .await;
    let request = std::fs::read(d.join("request.der")).unwrap();
    use base64::Engine;
    let base64 = base64::engine::general_purpose::STANDARD.encode(&request);
    let encoded = base64
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    // Encoded as the RFC says, and as clients that leave '/' and '+' alone send it.
    for path in [encoded, base64] {
        let response = app.get(&format!("/pki/ocsp/{path}")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "application/ocsp-response"
        );
        std::fs::write(d.join("response.der"), response.bytes().await.unwrap()).unwrap();
        let output = openssl(
            d,
            "ocsp -respin response.der -issuer issuing.pem -cert auth.pem -CAfile chain.pem \
             -no_nonce",
        )
        .await;
        assert!(output.contains("Response verify OK"), "{path}: {output}");
        assert_eq!(status_line(&output, "auth.pem"), "auth.pem: good");
    }

    // Not a request, an empty one, one too large, or bad base64: an OCSP answer still.
    let post = |body: Vec<u8>| {
        app.client
            .post(app.url("/pki/ocsp"))
            .header("content-type", "application/ocsp-request")
            .body(body)
            .send()
    };
    for body in [b"garbage".to_vec(), Vec::new(), vec![0x30; 64 * 1024]] {
        let response = post(body).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "application/ocsp-response"
        );
        assert_eq!(response.bytes().await.unwrap().as_ref(), MALFORMED);
    }
    let response = app.get("/pki/ocsp/not%20base64!").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap().as_ref(), MALFORMED);
    // A request with no certificates in it: `SEQUENCE { SEQUENCE { SEQUENCE {} } }`.
    let response = post(vec![0x30, 0x04, 0x30, 0x02, 0x30, 0x00])
        .await
        .unwrap();
    assert_eq!(response.bytes().await.unwrap().as_ref(), MALFORMED);
}
