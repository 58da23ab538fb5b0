//! The registration authority's applications (steps 22–27 of the guide): the requests
//! are checked against the DN built here from the registries, the application is stored
//! with its status history, and the CA issues when no confirmation is needed. The
//! lifecycle is `ApplicationStatus::apply`; this module only records its steps.

use std::collections::BTreeMap;
use std::sync::Arc;

use der::{Decode, Encode, EncodePem};
use qoltanba_domain::api::{
    ApplicationCreated, ApplicationSubmission, ApplicationView, AuditTrail, HeldCertificate,
    IssuedCertificate, IssuedCertificates, Language, PendingApplication, RevocationRequest,
    SignedDecision, StatusChange,
};
use qoltanba_domain::decision::{Decision, Verdict};
use qoltanba_domain::lifecycle::CONFIRMATION_PERIOD_DAYS;
use qoltanba_domain::moderation::Reason;
use qoltanba_domain::revocation::{self, RevocationReason};
use qoltanba_domain::{
    ApplicationNumber, ApplicationStatus, Bin, CertificateProfile, Email, ErrorCode, Event, Iin,
    InstitutionCode, InvalidTransition, KeyPurpose, Template, TreasuryDetails,
};
use qoltanba_pki::proof::Statement;
use qoltanba_pki::{Holder, Organisation, VerifyingKey};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};
use time::OffsetDateTime;
use tokio::sync::{Mutex, MutexGuard};
use x509_cert::name::Name;

use crate::audit::{self, Actor};
use crate::ca::{Authority, CaError, CertificateStatus, HolderCheckError};
use crate::cabinet::{CabinetError, CabinetHolder};
use crate::phone_check::{self, Purpose};
use crate::registries::{IndividualsRegistry, LegalEntitiesRegistry, RegistryError};

/// A request id is the browser's random secret: at least 128 bits in hex.
const REQUEST_ID_LENGTH: std::ops::RangeInclusive<usize> = 32..=128;

#[derive(Debug, thiserror::Error)]
pub enum ApplicationError {
    #[error("no consent with this id, or its Digital ID session has ended")]
    NoConsent,
    #[error("this consent was used for an application already")]
    ConsentUsed,
    #[error("a key of these requests is certified in another application")]
    KeyUsed,
    #[error("this request id was used with other requests")]
    RequestReused,
    #[error("invalid fields")]
    Fields(BTreeMap<&'static str, &'static str>),
    #[error("no application with this number")]
    NotFound,
    #[error("only the applicant's browser may do this")]
    NotApplicant,
    #[error("the certificates are not issued")]
    NotIssued,
    #[error("the installation proof does not verify")]
    BadProof,
    #[error(transparent)]
    Transition(#[from] InvalidTransition),
    #[error("only the first head or an employee with signing rights may decide")]
    MayNotConfirm,
    #[error("the application is another organisation's")]
    OtherOrganisation,
    #[error("the signing certificate is not the signed-in holder's")]
    SignerMismatch,
    #[error(transparent)]
    Cabinet(#[from] CabinetError),
    #[error("the registries do not know the applicant any more")]
    RegistryGap,
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Ca(#[from] CaError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl ApplicationError {
    fn field(name: &'static str, error: &impl ErrorCode) -> Self {
        Self::Fields(BTreeMap::from([(name, error.code())]))
    }
}

fn sha256(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes()).to_vec()
}

/// `8501******38`: enough for the applicant to recognise, too little to use.
fn mask_iin(iin: &str) -> String {
    format!("{}******{}", &iin[..4], &iin[10..])
}

/// `Ж********** Е****`: each word's first letter.
fn mask_name(name: &str) -> String {
    name.split(' ')
        .map(|word| {
            let mut letters = word.chars();
            letters.next().map_or(String::new(), |first| {
                first.to_string() + &"*".repeat(letters.count())
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub struct Applications {
    db: SqlitePool,
    /// Whose turn it is to write a submission or a decision (`begin_writing`).
    writing: Mutex<()>,
    ca: Arc<Authority>,
    individuals: Arc<dyn IndividualsRegistry>,
    legal_entities: Arc<dyn LegalEntitiesRegistry>,
}

/// A decision recorded: what the applicant is told, in his language.
pub struct Decided {
    pub status: ApplicationStatus,
    pub applicant: Iin,
    pub language: Language,
}

/// What `submit` did: a replayed submission finds the first one's application.
pub enum Submitted {
    Created(ApplicationCreated),
    Existing(ApplicationCreated),
}

impl Applications {
    pub fn new(
        db: SqlitePool,
        ca: Arc<Authority>,
        individuals: Arc<dyn IndividualsRegistry>,
        legal_entities: Arc<dyn LegalEntitiesRegistry>,
    ) -> Self {
        Self {
            db,
            writing: Mutex::new(()),
            ca,
            individuals,
            legal_entities,
        }
    }

    /// A transaction for a submission or a decision, which read before they write. It
    /// takes SQLite's write lock at once (`BEGIN IMMEDIATE`): a deferred one that read
    /// before another connection committed can no longer write and fails with "database
    /// is locked". Concurrent ones queue here first: waiting inside SQLite sleeps 1, 2,
    /// 5, 10… ms between tries, this queue hands over at the commit.
    async fn begin_writing(
        &self,
    ) -> Result<(MutexGuard<'_, ()>, Transaction<'static, Sqlite>), sqlx::Error> {
        let turn = self.writing.lock().await;
        Ok((turn, self.db.begin_with("BEGIN IMMEDIATE").await?))
    }

    pub fn authority(&self) -> &Authority {
        &self.ca
    }

    pub async fn submit(
        &self,
        submission: &ApplicationSubmission,
        now: OffsetDateTime,
    ) -> Result<Submitted, ApplicationError> {
        let id = &submission.request_id;
        if !REQUEST_ID_LENGTH.contains(&id.len()) || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ApplicationError::Fields(BTreeMap::from([(
                "request_id",
                "request_id.invalid",
            )])));
        }
        let request_hash = sha256(id);
        if let Some(existing) = self.replayed(&request_hash, submission).await? {
            return Ok(Submitted::Existing(existing));
        }
        let consent = sqlx::query(
            "SELECT session, EXISTS (SELECT 1 FROM applications a WHERE a.consent = c.id) AS used
             FROM consents c WHERE c.id = ?",
        )
        .bind(&submission.consent)
        .fetch_optional(&self.db)
        .await?
        .ok_or(ApplicationError::NoConsent)?;
        let session = phone_check::verified(
            &self.db,
            consent.get::<&str, _>("session"),
            Purpose::DigitalId,
            now,
        )
        .await?
        .ok_or(ApplicationError::NoConsent)?;
        if consent.get::<bool, _>("used") {
            return Err(ApplicationError::ConsentUsed);
        }
        let (email, treasury) = added_fields(submission, session.profile)?;
        let holder = self
            .holder(&session.iin, session.bin.as_ref(), email)
            .await?;
        let subject = holder
            .distinguished_name()
            .map_err(|e| ApplicationError::Ca(e.into()))?;
        let authentication =
            qoltanba_pki::request::verify(&submission.authentication_request, &subject)
                .map_err(|e| ApplicationError::field("authentication_request", &e))?;
        let signing = qoltanba_pki::request::verify(&submission.signing_request, &subject)
            .map_err(|e| ApplicationError::field("signing_request", &e))?;
        if authentication == signing {
            return Err(ApplicationError::Fields(BTreeMap::from([(
                "signing_request",
                "request.same_key",
            )])));
        }
        let keys = [
            (
                KeyPurpose::Authentication,
                authentication,
                &submission.authentication_request,
            ),
            (KeyPurpose::Signing, signing, &submission.signing_request),
        ];
        // Issued at once where no head confirms: signed now, before the write turn.
        let certified = if session.profile.needs_head_confirmation() {
            None
        } else {
            let keys = keys.iter().map(|(purpose, key, _)| (*purpose, key));
            Some(self.certify(&subject, keys, session.profile, now)?)
        };
        let stored = self
            .store(
                submission,
                &request_hash,
                &session.profile,
                &holder,
                &subject,
                treasury,
                &keys,
                certified.as_ref(),
                now,
            )
            .await;
        match stored {
            Ok(created) => Ok(Submitted::Created(created)),
            // The same submission, sent twice at once: the first one won.
            Err(ApplicationError::Database(e)) if is_unique_violation(&e) => {
                if let Some(existing) = self.replayed(&request_hash, submission).await? {
                    Ok(Submitted::Existing(existing))
                } else if e.to_string().contains("applications.consent") {
                    Err(ApplicationError::ConsentUsed)
                } else if e.to_string().contains("application_keys.public_key") {
                    Err(ApplicationError::KeyUsed)
                } else {
                    Err(e.into())
                }
            }
            Err(e) => Err(e),
        }
    }

    /// The application this request id made, if its requests are these.
    async fn replayed(
        &self,
        request_hash: &[u8],
        submission: &ApplicationSubmission,
    ) -> Result<Option<ApplicationCreated>, ApplicationError> {
        let Some(row) = sqlx::query(
            "SELECT a.number, a.status, k.request FROM applications a
             JOIN application_keys k ON k.application = a.number AND k.purpose = 'authentication'
             WHERE a.request_hash = ?",
        )
        .bind(request_hash)
        .fetch_optional(&self.db)
        .await?
        else {
            return Ok(None);
        };
        if row.get::<&str, _>("request") != submission.authentication_request {
            return Err(ApplicationError::RequestReused);
        }
        Ok(Some(ApplicationCreated {
            number: number_of(&row)?,
            status: status_of(&row)?,
        }))
    }

    async fn holder(
        &self,
        iin: &Iin,
        bin: Option<&qoltanba_domain::Bin>,
        email: Option<Email>,
    ) -> Result<Holder, ApplicationError> {
        // Both registries at once: each answer is a wait (a remote service in production).
        let person = async {
            self.individuals
                .find(iin)
                .await?
                .ok_or(ApplicationError::RegistryGap)
        };
        let organisation = async {
            let Some(bin) = bin else {
                return Ok(None);
            };
            let organisation = self
                .legal_entities
                .find(bin)
                .await?
                .ok_or(ApplicationError::RegistryGap)?;
            Ok(Some(Organisation {
                name: organisation.name,
                bin: bin.clone(),
            }))
        };
        let (person, organisation) = tokio::try_join!(person, organisation)?;
        Ok(Holder {
            surname: person.surname,
            name: person.name,
            patronymic: person.patronymic,
            iin: iin.clone(),
            organisation,
            email,
        })
    }

    #[allow(clippy::too_many_arguments)]
    async fn store(
        &self,
        submission: &ApplicationSubmission,
        request_hash: &[u8],
        profile: &CertificateProfile,
        holder: &Holder,
        subject: &Name,
        treasury: Option<TreasuryDetails>,
        keys: &[(KeyPurpose, VerifyingKey, &String); 2],
        certified: Option<&Certified>,
        now: OffsetDateTime,
    ) -> Result<ApplicationCreated, ApplicationError> {
        // Identified, then at once issued or waiting for the head: the application is
        // written in the second status with both in its history, in as few statements as
        // can be (each is a round trip to SQLite's thread inside the write turn).
        let identified = ApplicationStatus::Identified;
        let (event, by) = match certified {
            None => (Event::AwaitHead, By::plain(Actor::RegistrationAuthority)),
            Some(certified) => (
                Event::Issue,
                By::plain(Actor::CertificationAuthority).with_serials(certified),
            ),
        };
        let status = identified.apply(event, profile.needs_head_confirmation())?;
        let subject = subject
            .to_der()
            .map_err(|e| ApplicationError::Ca(e.into()))?;
        let profile_json = serde_json::to_string(profile).expect("a profile serialises");
        let treasury =
            treasury.map(|t| serde_json::to_string(&t).expect("treasury details serialise"));
        let (_turn, mut tx) = self.begin_writing().await?;
        let number = loop {
            let number = ApplicationNumber::from_u64(rand::rngs::OsRng.next_u64());
            let inserted = sqlx::query(
                "INSERT INTO applications (number, request_hash, consent, iin, bin, profile,
                     surname, name, patronymic, organisation, email, treasury, subject, status,
                     created_at, language)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(number.as_str())
            .bind(request_hash)
            .bind(&submission.consent)
            .bind(holder.iin.as_str())
            .bind(holder.organisation.as_ref().map(|o| o.bin.to_string()))
            .bind(&profile_json)
            .bind(&holder.surname)
            .bind(&holder.name)
            .bind(&holder.patronymic)
            .bind(holder.organisation.as_ref().map(|o| o.name.clone()))
            .bind(holder.email.as_ref().map(Email::to_string))
            .bind(&treasury)
            .bind(&subject)
            .bind(status.code())
            .bind(now)
            .bind(crate::digital_id::code_of(&submission.language))
            .execute(&mut *tx)
            .await;
            match inserted {
                Ok(_) => break number,
                // The number is random: one already given (hardly ever) is drawn again.
                Err(e) if number_taken(&e) => {}
                Err(e) => return Err(e.into()),
            }
        };
        // The requests' fingerprints: what a later confirmation or dispute refers to.
        let fingerprints = serde_json::json!({
            "authentication_request": hex::encode(sha256(keys[0].2)),
            "signing_request": hex::encode(sha256(keys[1].2)),
        });
        let created = audit::Happened {
            event: "created",
            actor: Actor::Applicant,
            detail: Some(&fingerprints),
        };
        let steps = [
            (identified, &By::plain(Actor::RegistrationAuthority)),
            (status, &by),
        ];
        record(&mut tx, &number, Some(created), &steps, now).await?;
        // Both keys, with their certificates where issued at once.
        let mut insert = sqlx::QueryBuilder::<Sqlite>::new(
            "INSERT INTO application_keys
                 (application, purpose, public_key, request, serial, certificate, issued_at) ",
        );
        insert.push_values(keys, |mut row, (purpose, key, request)| {
            let certificate = certified.and_then(|c| c.of(*purpose));
            row.push_bind(number.as_str())
                .push_bind(purpose.code())
                .push_bind(key.to_sec1_point(false).as_bytes().to_vec())
                .push_bind(request.as_str())
                .push_bind(certificate.map(|c| c.serial.clone()))
                .push_bind(certificate.map(|c| c.der.clone()))
                .push_bind(certificate.map(|_| now));
        });
        insert.build().execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(ApplicationCreated { number, status })
    }

    /// The CA's part of issuing: both certificates built and signed. Done before the
    /// write turn (`begin_writing`), so concurrent issuances sign on every core and take
    /// turns only to write. A certificate whose writing then fails is dropped unsent.
    fn certify<'k>(
        &self,
        subject: &Name,
        keys: impl IntoIterator<Item = (KeyPurpose, &'k VerifyingKey)>,
        profile: CertificateProfile,
        now: OffsetDateTime,
    ) -> Result<Certified, ApplicationError> {
        let certificates = keys
            .into_iter()
            .map(|(purpose, key)| {
                let certificate = self.ca.issue(subject.clone(), key, purpose, profile, now)?;
                Ok(Certificate {
                    purpose,
                    serial: qoltanba_pki::hex_upper(
                        certificate.tbs_certificate().serial_number().as_bytes(),
                    ),
                    der: certificate
                        .to_der()
                        .map_err(|e| ApplicationError::Ca(e.into()))?,
                })
            })
            .collect::<Result<_, ApplicationError>>()?;
        Ok(Certified(certificates))
    }

    /// `certify` for a stored application: its subject and keys as they were submitted.
    async fn certify_stored(
        &self,
        number: &ApplicationNumber,
        now: OffsetDateTime,
    ) -> Result<Certified, ApplicationError> {
        let row = sqlx::query("SELECT profile, subject FROM applications WHERE number = ?")
            .bind(number.as_str())
            .fetch_one(&self.db)
            .await?;
        let subject = Name::from_der(row.get::<&[u8], _>("subject"))
            .map_err(|e| corrupt(&format!("subject: {e}")))?;
        let keys =
            sqlx::query("SELECT purpose, public_key FROM application_keys WHERE application = ?")
                .bind(number.as_str())
                .fetch_all(&self.db)
                .await?
                .iter()
                .map(|key| {
                    let public_key =
                        VerifyingKey::from_sec1_bytes(key.get::<&[u8], _>("public_key"))
                            .map_err(|_| corrupt("public_key"))?;
                    Ok((purpose_of(key)?, public_key))
                })
                .collect::<Result<Vec<_>, ApplicationError>>()?;
        let keys = keys.iter().map(|(purpose, key)| (*purpose, key));
        self.certify(&subject, keys, profile_of(&row)?, now)
    }

    /// «Проверка статуса заявки». `request_id` is the caller's bearer token, if any.
    pub async fn view(
        &self,
        number: &ApplicationNumber,
        request_id: Option<&str>,
    ) -> Result<ApplicationView, ApplicationError> {
        // One query for the application and its history (its first status is written
        // with it, so the join finds it): each query is a round trip to SQLite's thread,
        // and this is the busiest page.
        let rows = sqlx::query(
            "SELECT a.number, a.request_hash, a.profile, a.bin, a.organisation, a.iin,
                    a.surname, a.name, a.patronymic, a.status, a.created_at,
                    s.status AS changed_to, s.at, s.reason
             FROM applications a JOIN application_statuses s ON s.application = a.number
             WHERE a.number = ? ORDER BY s.id",
        )
        .bind(number.as_str())
        .fetch_all(&self.db)
        .await?;
        let row = rows.first().ok_or(ApplicationError::NotFound)?;
        let masked = !is_applicant(row, request_id);
        let full_name = full_name_of(row);
        let iin: String = row.get("iin");
        let history = rows
            .iter()
            .map(|r| {
                Ok(StatusChange {
                    status: r
                        .get::<&str, _>("changed_to")
                        .parse()
                        .map_err(|_| corrupt("status"))?,
                    at: r.get("at"),
                    reason: r.get("reason"),
                })
            })
            .collect::<Result<_, ApplicationError>>()?;
        Ok(ApplicationView {
            number: number_of(row)?,
            created_at: row.get("created_at"),
            profile: profile_of(row)?,
            bin: row.get("bin"),
            organisation: row.get("organisation"),
            iin: if masked { mask_iin(&iin) } else { iin },
            full_name: if masked {
                mask_name(&full_name)
            } else {
                full_name
            },
            masked,
            status: status_of(row)?,
            history,
        })
    }

    /// The issued certificates, for the applicant's browser only.
    pub async fn certificates(
        &self,
        number: &ApplicationNumber,
        request_id: Option<&str>,
    ) -> Result<IssuedCertificates, ApplicationError> {
        let status = self.applicants_status(number, request_id).await?;
        if !matches!(
            status,
            ApplicationStatus::Issued | ApplicationStatus::Installed
        ) {
            return Err(ApplicationError::NotIssued);
        }
        let rows = sqlx::query(
            "SELECT purpose, certificate FROM application_keys WHERE application = ? ORDER BY purpose",
        )
        .bind(number.as_str())
        .fetch_all(&self.db)
        .await?;
        let certificates = rows
            .iter()
            .map(|row| {
                Ok(IssuedCertificate {
                    purpose: purpose_of(row)?,
                    certificate: certificate_pem_of(row)?,
                })
            })
            .collect::<Result<_, ApplicationError>>()?;
        Ok(IssuedCertificates {
            certificates,
            chain: self.ca.chain_pem()?,
        })
    }

    /// «Сертификаты установлены», when the proof verifies with the certified
    /// authentication key. Proving again changes nothing.
    pub async fn install(
        &self,
        number: &ApplicationNumber,
        request_id: Option<&str>,
        proof: &str,
        now: OffsetDateTime,
    ) -> Result<ApplicationView, ApplicationError> {
        let status = self.applicants_status(number, request_id).await?;
        let key: Vec<u8> = sqlx::query_scalar(
            "SELECT public_key FROM application_keys
             WHERE application = ? AND purpose = 'authentication'",
        )
        .bind(number.as_str())
        .fetch_one(&self.db)
        .await?;
        let key = VerifyingKey::from_sec1_bytes(&key).map_err(|_| corrupt("public_key"))?;
        if !qoltanba_pki::proof::verify(&key, Statement::Installed(number), proof) {
            return Err(ApplicationError::BadProof);
        }
        if status != ApplicationStatus::Installed {
            let mut tx = self.db.begin().await?;
            let by = By::plain(Actor::Applicant);
            change(&mut tx, number, status, Event::Install, true, by, now).await?;
            tx.commit().await?;
        }
        self.view(number, request_id).await
    }

    /// The application's audit trail, for the applicant's browser, and whether the
    /// whole chain verifies.
    pub async fn audit_trail(
        &self,
        number: &ApplicationNumber,
        request_id: Option<&str>,
    ) -> Result<AuditTrail, ApplicationError> {
        self.applicants_status(number, request_id).await?;
        self.trail(audit::Scope::Application(number)).await
    }

    /// The trail of every application of the organisation, for its first head.
    pub async fn organisation_trail(
        &self,
        holder: &CabinetHolder,
    ) -> Result<AuditTrail, ApplicationError> {
        let bin = deciding_for(holder)?;
        self.trail(audit::Scope::Organisation(bin)).await
    }

    /// The cabinet's certificates: the holder's own, and for whoever may confirm, his
    /// organisation's too.
    pub async fn held_certificates(
        &self,
        holder: &CabinetHolder,
    ) -> Result<Vec<HeldCertificate>, ApplicationError> {
        let organisation = deciding_for(holder).ok().map(Bin::as_str);
        let rows = sqlx::query(
            "SELECT a.number, a.iin, a.profile, a.surname, a.name, a.patronymic,
                    k.purpose, k.serial, k.certificate, k.issued_at, k.revoked_at
             FROM application_keys k JOIN applications a ON a.number = k.application
             WHERE k.certificate IS NOT NULL AND (a.iin = ? OR a.bin = ?)
             ORDER BY k.issued_at DESC, a.number, k.purpose",
        )
        .bind(holder.iin.as_str())
        .bind(organisation)
        .fetch_all(&self.db)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(HeldCertificate {
                    number: number_of(row)?,
                    full_name: full_name_of(row),
                    iin: row.get("iin"),
                    template: profile_of(row)?.template(),
                    purpose: purpose_of(row)?,
                    serial: row.get("serial"),
                    certificate: certificate_pem_of(row)?,
                    issued_at: row.get("issued_at"),
                    revoked_at: row.get("revoked_at"),
                })
            })
            .collect()
    }

    async fn trail(&self, scope: audit::Scope<'_>) -> Result<AuditTrail, ApplicationError> {
        Ok(AuditTrail {
            entries: audit::trail(&self.db, scope).await?,
            chain_verified: matches!(
                audit::verify(&self.db).await?,
                audit::Verdict::Intact { .. }
            ),
        })
    }

    /// Applications the first head left unanswered for `CONFIRMATION_PERIOD_DAYS`
    /// expire; returns how many did.
    pub async fn expire_overdue(&self, now: OffsetDateTime) -> Result<u64, ApplicationError> {
        let due = now - time::Duration::days(CONFIRMATION_PERIOD_DAYS);
        let numbers: Vec<String> = sqlx::query_scalar(
            "SELECT number FROM applications WHERE status = ? AND created_at < ?",
        )
        .bind(ApplicationStatus::AwaitingHead.code())
        .bind(due)
        .fetch_all(&self.db)
        .await?;
        let mut expired = 0;
        for number in numbers {
            let number = ApplicationNumber::parse(&number).map_err(|_| corrupt("number"))?;
            let mut tx = self.db.begin().await?;
            let by = By::plain(Actor::System);
            let event = Event::ConfirmationExpired;
            match change(
                &mut tx,
                &number,
                ApplicationStatus::AwaitingHead,
                event,
                true,
                by,
                now,
            )
            .await
            {
                Ok(_) => {
                    tx.commit().await?;
                    expired += 1;
                }
                // Answered in the meantime: nothing to expire.
                Err(ApplicationError::Transition(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(expired)
    }

    /// The organisation's applications waiting for its first head, oldest first.
    pub async fn pending(
        &self,
        holder: &CabinetHolder,
    ) -> Result<Vec<PendingApplication>, ApplicationError> {
        let bin = deciding_for(holder)?;
        let rows = sqlx::query(
            "SELECT a.number, a.iin, a.bin, a.profile, a.surname, a.name, a.patronymic,
                    a.created_at, ka.request AS authentication, ks.request AS signing
             FROM applications a
             JOIN application_keys ka ON ka.application = a.number AND ka.purpose = 'authentication'
             JOIN application_keys ks ON ks.application = a.number AND ks.purpose = 'signing'
             WHERE a.bin = ? AND a.status = ? ORDER BY a.created_at",
        )
        .bind(bin.as_str())
        .bind(ApplicationStatus::AwaitingHead.code())
        .fetch_all(&self.db)
        .await?;
        rows.iter()
            .map(|row| {
                let template = profile_of(row)?
                    .template()
                    .ok_or_else(|| corrupt("profile"))?;
                Ok(PendingApplication {
                    number: number_of(row)?,
                    full_name: full_name_of(row),
                    iin: row.get("iin"),
                    bin: row.get("bin"),
                    template,
                    created_at: row.get("created_at"),
                    authentication_request: hex::encode(sha256(row.get("authentication"))),
                    signing_request: hex::encode(sha256(row.get("signing"))),
                })
            })
            .collect()
    }

    /// «Подтвердить» (the certificates are issued) or «Отклонить» with a reason, signed
    /// with the deciding holder's own signing key over `Decision::canonical`.
    pub async fn decide(
        &self,
        holder: &CabinetHolder,
        number: &ApplicationNumber,
        decision: &SignedDecision,
        now: OffsetDateTime,
    ) -> Result<Decided, ApplicationError> {
        let bin = deciding_for(holder)?;
        let pending = self
            .pending(holder)
            .await?
            .into_iter()
            .find(|p| &p.number == number);
        let Some(pending) = pending else {
            return Err(match self.bin_and_status(number).await? {
                None => ApplicationError::NotFound,
                Some((theirs, _)) if theirs.as_deref() != Some(bin.as_str()) => {
                    ApplicationError::OtherOrganisation
                }
                Some((_, status)) => InvalidTransition {
                    from: status,
                    event: Event::HeadConfirmed,
                }
                .into(),
            });
        };
        let reason = match decision.verdict {
            Verdict::Confirm => None,
            Verdict::Reject => Some(
                Reason::parse(decision.reason.as_deref().unwrap_or(""))
                    .map_err(|e| ApplicationError::field("reason", &e))?,
            ),
        };
        let signer = crate::cabinet::certified(
            &self.db,
            &self.ca,
            &decision.certificate,
            KeyPurpose::Signing,
            now,
        )
        .await?;
        if signer.iin != holder.iin || signer.bin.as_ref() != Some(bin) {
            return Err(ApplicationError::SignerMismatch);
        }
        let canonical = Decision {
            number,
            bin: &pending.bin,
            iin: &pending.iin,
            template: pending.template,
            authentication_request: &pending.authentication_request,
            signing_request: &pending.signing_request,
            verdict: decision.verdict,
            reason: reason.as_ref().map(Reason::as_str),
        }
        .canonical();
        let statement = Statement::Decision(&canonical);
        if !qoltanba_pki::proof::verify(&signer.key, statement, &decision.signature) {
            return Err(CabinetError::Signature.into());
        }
        let by = By {
            actor: deciding_actor(holder),
            detail: Some(serde_json::json!({
                "verdict": decision.verdict.code(),
                "signer_iin": signer.iin.as_str(),
                "signer_serial": signer.serial,
                "signed": canonical,
                "signature": decision.signature,
            })),
            reason: reason.map(|r| r.as_str().to_owned()),
        };
        let certified = match decision.verdict {
            Verdict::Confirm => Some(self.certify_stored(number, now).await?),
            Verdict::Reject => None,
        };
        let (_turn, mut tx) = self.begin_writing().await?;
        let from = ApplicationStatus::AwaitingHead;
        let status = match certified {
            Some(certified) => {
                for certificate in &certified.0 {
                    sqlx::query(
                        "UPDATE application_keys SET serial = ?, certificate = ?, issued_at = ?
                         WHERE application = ? AND purpose = ?",
                    )
                    .bind(&certificate.serial)
                    .bind(&certificate.der)
                    .bind(now)
                    .bind(number.as_str())
                    .bind(certificate.purpose.code())
                    .execute(&mut *tx)
                    .await?;
                }
                let by = by.with_serials(&certified);
                change(&mut tx, number, from, Event::HeadConfirmed, true, by, now).await?
            }
            None => change(&mut tx, number, from, Event::HeadRejected, true, by, now).await?,
        };
        tx.commit().await?;
        let language: String =
            sqlx::query_scalar("SELECT language FROM applications WHERE number = ?")
                .bind(number.as_str())
                .fetch_one(&self.db)
                .await?;
        Ok(Decided {
            status,
            applicant: Iin::parse(&pending.iin).map_err(|_| corrupt("iin"))?,
            language: Language::from_code(&language),
        })
    }

    async fn bin_and_status(
        &self,
        number: &ApplicationNumber,
    ) -> Result<Option<(Option<String>, ApplicationStatus)>, ApplicationError> {
        let row = sqlx::query("SELECT bin, status FROM applications WHERE number = ?")
            .bind(number.as_str())
            .fetch_optional(&self.db)
            .await?;
        row.map(|row| Ok((row.get("bin"), status_of(&row)?)))
            .transpose()
    }

    /// «Отзыв ключа ЭЦП»: both certificates of the application go. The holder signs
    /// with the key of the certificate he revokes; in the cabinet, the first head (or
    /// an acting signer) signs with his own signing key for his organisation's.
    pub async fn revoke(
        &self,
        request: &RevocationRequest,
        cabinet: Option<&CabinetHolder>,
        now: OffsetDateTime,
    ) -> Result<(), ApplicationError> {
        let target = qoltanba_pki::parse_certificate(request.certificate.as_bytes())
            .map_err(|_| CabinetError::Certificate(HolderCheckError::Unreadable))?;
        let target = self
            .ca
            .check_holder(&target, now)
            .map_err(CabinetError::from)?;
        let (signer_key, actor, signer_serial) = match (cabinet, &request.signer_certificate) {
            (None, None) => (target.key, Actor::Applicant, target.serial.clone()),
            (Some(holder), Some(pem)) => {
                let bin = deciding_for(holder)?;
                if target.bin.as_ref() != Some(bin) {
                    return Err(ApplicationError::OtherOrganisation);
                }
                let signer =
                    crate::cabinet::certified(&self.db, &self.ca, pem, KeyPurpose::Signing, now)
                        .await?;
                if signer.iin != holder.iin || signer.bin.as_ref() != Some(bin) {
                    return Err(ApplicationError::SignerMismatch);
                }
                (signer.key, deciding_actor(holder), signer.serial)
            }
            // A signer's certificate comes only with a cabinet session, and back.
            _ => return Err(ApplicationError::MayNotConfirm),
        };
        let canonical = revocation::canonical(&target.serial, request.reason);
        let statement = Statement::Revocation(&canonical);
        if !qoltanba_pki::proof::verify(&signer_key, statement, &request.signature) {
            return Err(CabinetError::Signature.into());
        }
        let row = sqlx::query(
            "SELECT a.number, a.status FROM application_keys k
             JOIN applications a ON a.number = k.application WHERE k.serial = ?",
        )
        .bind(&target.serial)
        .fetch_optional(&self.db)
        .await?
        .ok_or(ApplicationError::NotFound)?;
        let number = number_of(&row)?;
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "UPDATE application_keys SET revoked_at = ?, revocation_reason = ?
             WHERE application = ? AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(request.reason.code())
        .bind(number.as_str())
        .execute(&mut *tx)
        .await?;
        let by = By {
            actor,
            detail: Some(serde_json::json!({
                "reason": request.reason.code(),
                "certificate": target.serial,
                "signer_serial": signer_serial,
                "signature": request.signature,
            })),
            reason: None,
        };
        change(
            &mut tx,
            &number,
            status_of(&row)?,
            Event::Revoke,
            true,
            by,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The issuing CA's CRL. Its number is the time in seconds: it only grows, and a
    /// public GET writes nothing.
    pub async fn crl(&self, now: OffsetDateTime) -> Result<Vec<u8>, ApplicationError> {
        let revoked = sqlx::query(
            "SELECT serial, revoked_at, revocation_reason FROM application_keys
             WHERE revoked_at IS NOT NULL",
        )
        .fetch_all(&self.db)
        .await?
        .iter()
        .map(|row| {
            let serial = hex::decode(row.get::<&str, _>("serial"))
                .ok()
                .and_then(|bytes| crate::ca::Serial::new(&bytes).ok())
                .ok_or_else(|| corrupt("serial"))?;
            Ok((serial, row.get("revoked_at"), reason_of(row)))
        })
        .collect::<Result<Vec<_>, ApplicationError>>()?;
        let number = u64::try_from(now.unix_timestamp()).map_err(|_| corrupt("clock"))?;
        Ok(self.ca.crl(&revoked, number, now)?)
    }

    /// Where a serial of our issuing CA (upper-case hex) stands in the records: the
    /// OCSP answer and the key check.
    pub async fn certificate_status(
        &self,
        serial: &str,
    ) -> Result<CertificateStatus, ApplicationError> {
        let row = sqlx::query(
            "SELECT revoked_at, revocation_reason FROM application_keys WHERE serial = ?",
        )
        .bind(serial)
        .fetch_optional(&self.db)
        .await?;
        Ok(match row {
            None => CertificateStatus::Unknown,
            Some(row) => match row.get::<Option<OffsetDateTime>, _>("revoked_at") {
                None => CertificateStatus::Issued,
                Some(at) => CertificateStatus::Revoked {
                    at,
                    reason: reason_of(&row),
                },
            },
        })
    }

    async fn applicants_status(
        &self,
        number: &ApplicationNumber,
        request_id: Option<&str>,
    ) -> Result<ApplicationStatus, ApplicationError> {
        let row = sqlx::query("SELECT request_hash, status FROM applications WHERE number = ?")
            .bind(number.as_str())
            .fetch_optional(&self.db)
            .await?
            .ok_or(ApplicationError::NotFound)?;
        if !is_applicant(&row, request_id) {
            return Err(ApplicationError::NotApplicant);
        }
        status_of(&row)
    }
}

/// The e-mail, and the treasury details that only the Treasury-Client template takes.
fn added_fields(
    submission: &ApplicationSubmission,
    profile: CertificateProfile,
) -> Result<(Option<Email>, Option<TreasuryDetails>), ApplicationError> {
    let mut errors = BTreeMap::new();
    let email = match submission.email.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(email) => Email::parse(email)
            .map_err(|e| errors.insert("email", e.code()))
            .ok(),
    };
    let wants_treasury = profile
        .template()
        .is_some_and(|t| t.needs_treasury_fields());
    let treasury = match (&submission.treasury, wants_treasury) {
        (Some(input), true) => InstitutionCode::parse(&input.institution_code)
            .map_err(|e| errors.insert("treasury.institution_code", e.code()))
            .ok()
            .map(|institution_code| TreasuryDetails {
                role: input.role,
                institution_code,
            }),
        (None, true) => {
            errors.insert("treasury", "treasury.missing");
            None
        }
        (Some(_), false) => {
            errors.insert("treasury", "treasury.not_applicable");
            None
        }
        (None, false) => None,
    };
    if errors.is_empty() {
        Ok((email, treasury))
    } else {
        Err(ApplicationError::Fields(errors))
    }
}

/// Who made a change, and what the audit trail keeps of it.
struct By {
    actor: Actor,
    detail: Option<serde_json::Value>,
    /// Shown in the status table: why the first head rejected.
    reason: Option<String>,
}

impl By {
    fn plain(actor: Actor) -> Self {
        Self {
            actor,
            detail: None,
            reason: None,
        }
    }

    /// The audit trail names the certificates an issuance made.
    fn with_serials(mut self, certified: &Certified) -> Self {
        let serials: serde_json::Map<_, _> = certified
            .0
            .iter()
            .map(|c| (c.purpose.code().to_owned(), c.serial.clone().into()))
            .collect();
        let mut detail = self.detail.take().unwrap_or_else(|| serde_json::json!({}));
        detail["serials"] = serials.into();
        self.detail = Some(detail);
        self
    }
}

/// An application's certificates as the CA signed them, before they are stored.
struct Certified(Vec<Certificate>);

struct Certificate {
    purpose: KeyPurpose,
    serial: String,
    der: Vec<u8>,
}

impl Certified {
    fn of(&self, purpose: KeyPurpose) -> Option<&Certificate> {
        self.0.iter().find(|c| c.purpose == purpose)
    }
}

/// One step of the lifecycle, recorded: the status, a row of its history and of the
/// audit trail.
async fn change(
    tx: &mut Transaction<'_, Sqlite>,
    number: &ApplicationNumber,
    from: ApplicationStatus,
    event: Event,
    needs_head_confirmation: bool,
    by: By,
    now: OffsetDateTime,
) -> Result<ApplicationStatus, ApplicationError> {
    let to = from.apply(event, needs_head_confirmation)?;
    let changed = sqlx::query("UPDATE applications SET status = ? WHERE number = ? AND status = ?")
        .bind(to.code())
        .bind(number.as_str())
        .bind(from.code())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if changed != 1 {
        // Someone else moved it first: this event no longer applies.
        return Err(InvalidTransition { from, event }.into());
    }
    record(tx, number, None, &[(to, &by)], now).await?;
    Ok(to)
}

/// Steps of the lifecycle recorded: a row each in the status history and in the audit
/// trail, after `first`, an audit row of its own; one statement per table.
async fn record(
    tx: &mut Transaction<'_, Sqlite>,
    number: &ApplicationNumber,
    first: Option<audit::Happened<'_>>,
    steps: &[(ApplicationStatus, &By)],
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut insert = sqlx::QueryBuilder::<Sqlite>::new(
        "INSERT INTO application_statuses (application, status, at, reason) ",
    );
    insert.push_values(steps, |mut row, (status, by)| {
        row.push_bind(number.as_str())
            .push_bind(status.code())
            .push_bind(now)
            .push_bind(&by.reason);
    });
    insert.build().execute(&mut **tx).await?;
    let events: Vec<audit::Happened> = first
        .into_iter()
        .chain(steps.iter().map(|(status, by)| audit::Happened {
            event: status.code(),
            actor: by.actor,
            detail: by.detail.as_ref(),
        }))
        .collect();
    audit::append(tx, number, &events, now).await
}

/// The organisation a signed-in holder may decide for: the first head's or an acting
/// signer's BIN.
fn deciding_for(holder: &CabinetHolder) -> Result<&Bin, ApplicationError> {
    match (&holder.bin, holder.template) {
        (Some(bin), Some(template)) if template.may_confirm_for_head() => Ok(bin),
        _ => Err(ApplicationError::MayNotConfirm),
    }
}

fn deciding_actor(holder: &CabinetHolder) -> Actor {
    if holder.template == Some(Template::FirstHead) {
        Actor::FirstHead
    } else {
        Actor::ActingSigner
    }
}

fn is_applicant(row: &sqlx::sqlite::SqliteRow, request_id: Option<&str>) -> bool {
    request_id.is_some_and(|id| sha256(id) == row.get::<&[u8], _>("request_hash"))
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

fn number_taken(e: &sqlx::Error) -> bool {
    is_unique_violation(e) && e.to_string().contains("applications.number")
}

fn corrupt(what: &str) -> ApplicationError {
    ApplicationError::Database(sqlx::Error::Decode(
        format!("invalid {what} in applications").into(),
    ))
}

/// An issued certificate's row, in PEM as the API gives it.
fn certificate_pem_of(row: &sqlx::sqlite::SqliteRow) -> Result<String, ApplicationError> {
    let der: &[u8] = row.get("certificate");
    x509_cert::Certificate::from_der(der)
        .and_then(|c| c.to_pem(der::pem::LineEnding::LF))
        .map_err(|e| corrupt(&format!("certificate: {e}")))
}

/// «Фамилия Имя Отчество» from an application's row.
fn full_name_of(row: &sqlx::sqlite::SqliteRow) -> String {
    [row.get::<&str, _>("surname"), row.get("name")]
        .into_iter()
        .chain(row.get::<Option<&str>, _>("patronymic"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn number_of(row: &sqlx::sqlite::SqliteRow) -> Result<ApplicationNumber, ApplicationError> {
    ApplicationNumber::parse(row.get("number")).map_err(|_| corrupt("number"))
}

fn status_of(row: &sqlx::sqlite::SqliteRow) -> Result<ApplicationStatus, ApplicationError> {
    row.get::<&str, _>("status")
        .parse()
        .map_err(|_| corrupt("status"))
}

fn profile_of(row: &sqlx::sqlite::SqliteRow) -> Result<CertificateProfile, ApplicationError> {
    serde_json::from_str(row.get("profile")).map_err(|_| corrupt("profile"))
}

/// The recorded reason of a revocation; revocations from before reasons were kept
/// have none.
fn reason_of(row: &sqlx::sqlite::SqliteRow) -> Option<RevocationReason> {
    let code = row.get::<Option<&str>, _>("revocation_reason")?;
    RevocationReason::ALL.into_iter().find(|r| r.code() == code)
}

fn purpose_of(row: &sqlx::sqlite::SqliteRow) -> Result<KeyPurpose, ApplicationError> {
    match row.get::<&str, _>("purpose") {
        "authentication" => Ok(KeyPurpose::Authentication),
        "signing" => Ok(KeyPurpose::Signing),
        _ => Err(corrupt("purpose")),
    }
}

/// How often unanswered applications are looked for: a day late at most by an hour.
const EXPIRY_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// The background task of a running server that expires unanswered applications.
pub fn spawn_expiry(applications: Arc<Applications>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EXPIRY_EVERY);
        loop {
            tick.tick().await;
            match applications.expire_overdue(OffsetDateTime::now_utc()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(applications = n, "unconfirmed applications expired"),
                Err(e) => tracing::error!(error = %e, "expiring applications failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask_iin("850115301238"), "8501******38");
        assert_eq!(mask_name("ЖАКСЫБЕКОВ ЕРЛАН"), "Ж********* Е****");
    }
}
