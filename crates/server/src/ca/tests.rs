//! The CA against OpenSSL, the relying party every tool uses.

use std::path::Path;
use std::process::Command;

use der::pem::LineEnding;
use der::{Encode, EncodePem};
use p256::elliptic_curve::Generate;
use qoltanba_domain::revocation::RevocationReason;
use qoltanba_domain::{Bin, CertificateProfile, Iin, KeyPurpose, Template};
use qoltanba_pki::{Holder, Organisation};

use super::*;

const BASE: &str = "http://127.0.0.1:8080";

fn holder() -> Name {
    holder_of_head().distinguished_name().unwrap()
}

fn holder_of_head() -> Holder {
    Holder {
        surname: "ЖАКСЫБЕКОВ".into(),
        name: "ЕРЛАН".into(),
        patronymic: Some("АСКАРОВИЧ".into()),
        iin: Iin::parse("850115301238").unwrap(),
        organisation: Some(Organisation {
            name: "ТОО Қолтаңба".into(),
            bin: Bin::parse("150340001236").unwrap(),
        }),
        email: None,
    }
}

const HEAD: CertificateProfile = CertificateProfile::LegalEntity {
    template: Template::FirstHead,
};

/// A new key and the CA's certificate for it.
fn issued(ca: &Authority, purpose: KeyPurpose) -> (p256::ecdsa::SigningKey, Certificate) {
    let key = p256::ecdsa::SigningKey::generate();
    let certificate = ca
        .issue(
            holder(),
            key.verifying_key(),
            purpose,
            HEAD,
            OffsetDateTime::now_utc(),
        )
        .unwrap();
    (key, certificate)
}

/// `openssl verify` with the root as the only trust anchor; its output on failure.
fn verify(
    dir: &Path,
    ca: &Authority,
    certificate: &Certificate,
    options: &[&str],
) -> Result<(), String> {
    let [issuing, root] = ca.chain();
    std::fs::write(dir.join("root.pem"), root.to_pem(LineEnding::LF).unwrap()).unwrap();
    std::fs::write(
        dir.join("issuing.pem"),
        issuing.to_pem(LineEnding::LF).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("leaf.pem"),
        certificate.to_pem(LineEnding::LF).unwrap(),
    )
    .unwrap();
    let output = Command::new("openssl")
        .arg("verify")
        .args(["-CAfile", "root.pem", "-untrusted", "issuing.pem"])
        .args(options)
        .arg("leaf.pem")
        .current_dir(dir)
        .output()
        .expect("openssl runs");
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    if output.status.success() && text.contains("leaf.pem: OK") {
        Ok(())
    } else {
        Err(text)
    }
}

fn write_crl(dir: &Path, der: &[u8]) {
    let pem = der::pem::encode_string("X509 CRL", LineEnding::LF, der).unwrap();
    std::fs::write(dir.join("crl.pem"), pem).unwrap();
}

#[test]
fn holders_certificates_pass_openssl_for_their_purpose_and_policies() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Authority::load_or_create(&dir.path().join("ca"), None, BASE).unwrap();
    let (_, auth) = issued(&ca, KeyPurpose::Authentication);
    let (_, sign) = issued(&ca, KeyPurpose::Signing);
    let d = dir.path();
    verify(d, &ca, &auth, &["-purpose", "sslclient"]).unwrap();
    verify(d, &ca, &sign, &["-purpose", "smimesign"]).unwrap();
    let role = Template::FirstHead.role_oid();
    for (certificate, policy) in [(&auth, "1.2.398.3.3.2.2"), (&sign, "1.2.398.3.3.2.1")] {
        verify(
            d,
            &ca,
            certificate,
            &["-policy", policy, "-explicit_policy"],
        )
        .unwrap();
        verify(d, &ca, certificate, &["-policy", role, "-explicit_policy"]).unwrap();
    }
    // A policy the certificate does not carry, and the wrong purpose, are refused.
    let other_role = Template::Hr.role_oid();
    assert!(verify(d, &ca, &auth, &["-policy", other_role, "-explicit_policy"]).is_err());
    assert!(verify(d, &ca, &sign, &["-purpose", "sslclient"]).is_err());
    assert_ne!(
        auth.tbs_certificate().serial_number(),
        sign.tbs_certificate().serial_number()
    );
    assert_eq!(auth.tbs_certificate().serial_number().as_bytes().len(), 16);

    let text = Command::new("openssl")
        .args([
            "x509",
            "-noout",
            "-text",
            "-nameopt",
            "utf8,sep_comma_plus",
            "-in",
            "leaf.pem",
        ])
        .current_dir(d)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for expected in [
        "serialNumber=IIN850115301238",
        "OU=BIN150340001236",
        "O=ТОО Қолтаңба",
        "CA:FALSE",
        "Digital Signature, Non Repudiation",
        "E-mail Protection, 1.2.398.3.3.4.1.2, 1.2.398.3.3.4.1.2.1, 1.2.398.3.3.4.3.2.1",
        "URI:http://127.0.0.1:8080/pki/issuing.crl",
        "OCSP - URI:http://127.0.0.1:8080/pki/ocsp",
        "CA Issuers - URI:http://127.0.0.1:8080/pki/issuing.crt",
        "X509v3 Subject Key Identifier",
        "X509v3 Authority Key Identifier",
    ] {
        assert!(text.contains(expected), "{expected} not in\n{text}");
    }
}

#[test]
fn the_crl_is_found_by_openssl_and_names_revoked_serials() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ca = Authority::load_or_create(&d.join("ca"), None, BASE).unwrap();
    let now = OffsetDateTime::now_utc();
    let (_, auth) = issued(&ca, KeyPurpose::Authentication);
    write_crl(d, &ca.crl(&[], 1, now).unwrap());
    verify(d, &ca, &auth, &["-crl_check", "-CRLfile", "crl.pem"]).unwrap();
    let serial = auth.tbs_certificate().serial_number().clone();
    write_crl(
        d,
        &ca.crl(
            &[(serial, now, Some(RevocationReason::KeyCompromise))],
            2,
            now,
        )
        .unwrap(),
    );
    let refused = verify(d, &ca, &auth, &["-crl_check", "-CRLfile", "crl.pem"]).unwrap_err();
    assert!(refused.contains("certificate revoked"), "{refused}");
}

#[test]
fn the_ca_is_kept_and_its_keys_are_private_and_optionally_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let ca_dir = dir.path().join("ca");
    let first = Authority::load_or_create(&ca_dir, Some("correct horse"), BASE).unwrap();
    let again = Authority::load_or_create(&ca_dir, Some("correct horse"), BASE).unwrap();
    assert_eq!(first.issuing_der().unwrap(), again.issuing_der().unwrap());
    assert_eq!(
        first.chain()[1].to_der().unwrap(),
        again.chain()[1].to_der().unwrap()
    );
    let key = std::fs::read_to_string(ca_dir.join("issuing.key.pem")).unwrap();
    assert!(key.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in ["root.key.pem", "issuing.key.pem"] {
            let mode = std::fs::metadata(ca_dir.join(file))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{file}");
        }
        let mode = std::fs::metadata(&ca_dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    assert!(matches!(
        Authority::load_or_create(&ca_dir, Some("wrong"), BASE),
        Err(CaError::Damaged(_))
    ));
    assert!(matches!(
        Authority::load_or_create(&ca_dir, None, BASE),
        Err(CaError::Damaged(_))
    ));
}

#[test]
fn key_stores_open_in_openssl_3_without_legacy_and_only_with_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ca = Authority::load_or_create(&d.join("ca"), None, BASE).unwrap();
    let (key, auth) = issued(&ca, KeyPurpose::Authentication);
    let chain: Vec<Certificate> = ca.chain().into_iter().cloned().collect();
    let password = qoltanba_domain::KeyStorePassword::parse("Qoltanba2026").unwrap();
    let file =
        qoltanba_pki::key_store::write(KeyPurpose::Authentication, &key, &auth, &chain, &password)
            .unwrap();
    let ski = qoltanba_pki::hex_upper(&qoltanba_pki::subject_key_id(&auth).unwrap());
    assert_eq!(file.name, format!("AUTH_ECDSA256_{ski}.p12"));
    std::fs::write(d.join(&file.name), &file.bytes).unwrap();
    let open = |password: &str| {
        Command::new("openssl")
            .args(["pkcs12", "-nodes", "-in", &file.name, "-passin"])
            .arg(format!("pass:{password}"))
            .current_dir(d)
            .output()
            .unwrap()
    };
    let opened = open("Qoltanba2026");
    let text = String::from_utf8_lossy(&opened.stdout);
    assert!(
        opened.status.success(),
        "{}",
        String::from_utf8_lossy(&opened.stderr)
    );
    assert!(text.contains("BEGIN PRIVATE KEY"), "{text}");
    assert_eq!(text.matches("BEGIN CERTIFICATE").count(), 3, "{text}");
    assert!(text.contains(&format!("friendlyName: {ski}")), "{text}");
    assert!(!open("Qoltanba2027").status.success());
    // The page opens it again (the cabinet's sign-in): the same key, certificate and chain.
    let opened = qoltanba_pki::key_store::open(&file.bytes, "Qoltanba2026").unwrap();
    assert_eq!(opened.key, key);
    assert_eq!(opened.certificate, auth);
    assert_eq!(opened.chain.len(), 2);
    use qoltanba_pki::key_store::OpenError;
    assert_eq!(
        qoltanba_pki::key_store::open(&file.bytes, "Qoltanba2027").err(),
        Some(OpenError::PasswordOrFile)
    );
    assert_eq!(
        qoltanba_pki::key_store::open(b"not a key store", "x").err(),
        Some(OpenError::PasswordOrFile)
    );
    // And one that OpenSSL 3 wrote from the same key and certificate.
    use pkcs8::EncodePrivateKey;
    let key_pem = key.to_pkcs8_pem(der::pem::LineEnding::LF).unwrap();
    std::fs::write(d.join("key.pem"), key_pem.as_bytes()).unwrap();
    std::fs::write(d.join("leaf.pem"), auth.to_pem(LineEnding::LF).unwrap()).unwrap();
    let exported = Command::new("openssl")
        .args(["pkcs12", "-export", "-inkey", "key.pem", "-in", "leaf.pem"])
        .args(["-passout", "pass:Qoltanba2026", "-out", "openssl.p12"])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(exported.status.success(), "{exported:?}");
    let theirs = std::fs::read(d.join("openssl.p12")).unwrap();
    let opened = qoltanba_pki::key_store::open(&theirs, "Qoltanba2026").unwrap();
    assert_eq!(opened.key, key);
    // Another key's certificate is refused before anything is written.
    let other = p256::ecdsa::SigningKey::generate();
    assert_eq!(
        qoltanba_pki::key_store::write(
            KeyPurpose::Authentication,
            &other,
            &auth,
            &chain,
            &password
        ),
        Err(qoltanba_pki::key_store::KeyStoreError::KeyMismatch)
    );
}

#[test]
fn presented_certificates_are_ours_within_their_dates_and_say_who() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Authority::load_or_create(&dir.path().join("ca"), None, BASE).unwrap();
    let now = OffsetDateTime::now_utc();
    let (key, auth) = issued(&ca, KeyPurpose::Authentication);
    let holder = ca.check_holder(&auth, now).unwrap();
    assert_eq!(holder.iin.as_str(), "850115301238");
    assert_eq!(
        holder.bin.as_ref().map(|b| b.as_str()),
        Some("150340001236")
    );
    assert_eq!(holder.template, Some(Template::FirstHead));
    assert_eq!(holder.purpose, KeyPurpose::Authentication);
    assert_eq!(&holder.key, key.verifying_key());
    assert_eq!(
        holder.serial,
        qoltanba_pki::hex_upper(auth.tbs_certificate().serial_number().as_bytes())
    );
    let (_, sign) = issued(&ca, KeyPurpose::Signing);
    assert_eq!(
        ca.check_holder(&sign, now).unwrap().purpose,
        KeyPurpose::Signing
    );

    // Not yet, and no longer.
    assert_eq!(
        ca.check_holder(&auth, now - Duration::days(1)),
        Err(HolderCheckError::OutOfDates)
    );
    assert_eq!(
        ca.check_holder(&auth, now + HOLDER_VALIDITY + Duration::days(1)),
        Err(HolderCheckError::OutOfDates)
    );
    // Another CA's certificate with the same names, and one of ours with its subject changed.
    let other = Authority::load_or_create(&dir.path().join("other"), None, BASE).unwrap();
    let (_, foreign) = issued(&other, KeyPurpose::Authentication);
    assert_eq!(
        ca.check_holder(&foreign, now),
        Err(HolderCheckError::NotOurs)
    );
    // Another holder's content under the head's signature.
    let employee = qoltanba_pki::Holder {
        iin: Iin::parse("920724405673").unwrap(),
        ..holder_of_head()
    }
    .distinguished_name()
    .unwrap();
    let theirs = ca
        .issue(
            employee,
            key.verifying_key(),
            KeyPurpose::Authentication,
            HEAD,
            now,
        )
        .unwrap();
    let forged = with_signature_of(&theirs, &auth);
    assert_eq!(
        ca.check_holder(&forged, now),
        Err(HolderCheckError::NotOurs)
    );
}

/// `content`'s to-be-signed part with `signed`'s signature, re-assembled in DER.
fn with_signature_of(content: &Certificate, signed: &Certificate) -> Certificate {
    use der::{Decode, Encode};
    let mut body = content.tbs_certificate().to_der().unwrap();
    body.extend(signed.signature_algorithm().to_der().unwrap());
    body.extend(signed.signature().to_der().unwrap());
    let length = u16::try_from(body.len()).unwrap().to_be_bytes();
    let mut der = vec![0x30, 0x82, length[0], length[1]];
    der.extend(body);
    Certificate::from_der(&der).unwrap()
}
