//! The JWT signing keys: Ed25519 (JWS `EdDSA`), created on first start, kept in the database,
//! published as a JWKS at `/.well-known/jwks.json`.

use std::collections::HashMap;
use std::sync::RwLock;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{DecodingKey, EncodingKey};
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde_json::{json, Value};

use crate::db::signing_keys::SigningKeyRow;
use crate::db::Db;
use crate::error::AppError;

const ALGORITHM: &str = "EdDSA";

/// The key that signs new tokens.
pub struct ActiveKey {
    /// Its key id.
    pub kid: String,
    /// The private key.
    pub encoding: EncodingKey,
}

/// The signing key and every key that may verify.
pub struct KeySet {
    active: ActiveKey,
    verifying: RwLock<HashMap<String, (DecodingKey, String)>>,
}

fn load_row(row: &SigningKeyRow) -> Result<(EncodingKey, DecodingKey), AppError> {
    let bad = |what: &str| AppError::Internal(format!("signing key {}: bad {what}", row.kid));
    let pkcs8 = STANDARD
        .decode(&row.private_pkcs8)
        .map_err(|_| bad("private key"))?;
    let public = URL_SAFE_NO_PAD
        .decode(&row.public_key)
        .map_err(|_| bad("public key"))?;
    Ok((
        EncodingKey::from_ed_der(&pkcs8),
        DecodingKey::from_ed_der(&public),
    ))
}

fn generate() -> Result<SigningKeyRow, AppError> {
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng)
        .map_err(|_| AppError::Internal("generating an Ed25519 key failed".into()))?;
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref())
        .map_err(|_| AppError::Internal("reading the new Ed25519 key failed".into()))?;
    Ok(SigningKeyRow {
        kid: crate::db::new_id(),
        algorithm: ALGORITHM.to_owned(),
        private_pkcs8: STANDARD.encode(pkcs8.as_ref()),
        public_key: URL_SAFE_NO_PAD.encode(pair.public_key().as_ref()),
    })
}

impl KeySet {
    /// Loads the stored keys, creating the first one when there is none. Concurrent first
    /// starts converge: each re-reads the table and signs with its oldest key.
    pub async fn load_or_create(db: &Db) -> Result<Self, AppError> {
        let mut rows = db.active_signing_keys().await?;
        if rows.is_empty() {
            db.insert_signing_key(&generate()?).await?;
            rows = db.active_signing_keys().await?;
        }
        let first = rows
            .first()
            .ok_or_else(|| AppError::Internal("no signing key after creating one".into()))?;
        let (encoding, _) = load_row(first)?;
        let mut verifying = HashMap::new();
        for row in &rows {
            let (_, decoding) = load_row(row)?;
            verifying.insert(row.kid.clone(), (decoding, row.public_key.clone()));
        }
        Ok(Self {
            active: ActiveKey {
                kid: first.kid.clone(),
                encoding,
            },
            verifying: RwLock::new(verifying),
        })
    }

    /// The key that signs.
    pub fn active(&self) -> &ActiveKey {
        &self.active
    }

    /// The verifying key for `kid`, reloading from the database once when it is unknown
    /// (another server process may have created it).
    pub async fn decoding_key(&self, db: &Db, kid: &str) -> Result<Option<DecodingKey>, AppError> {
        if let Some((key, _)) = self.verifying.read().expect("lock").get(kid) {
            return Ok(Some(key.clone()));
        }
        let rows = db.active_signing_keys().await?;
        let mut verifying = self.verifying.write().expect("lock");
        for row in &rows {
            if !verifying.contains_key(&row.kid) {
                let (_, decoding) = load_row(row)?;
                verifying.insert(row.kid.clone(), (decoding, row.public_key.clone()));
            }
        }
        Ok(verifying.get(kid).map(|(key, _)| key.clone()))
    }

    /// The public keys as a JSON Web Key Set (RFC 7517, OKP keys per RFC 8037).
    pub fn jwks(&self) -> Value {
        let verifying = self.verifying.read().expect("lock");
        let mut keys: Vec<Value> = verifying
            .iter()
            .map(|(kid, (_, x))| {
                json!({ "kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "use": "sig", "alg": ALGORITHM })
            })
            .collect();
        keys.sort_by(|a, b| a["kid"].as_str().cmp(&b["kid"].as_str()));
        json!({ "keys": keys })
    }
}
