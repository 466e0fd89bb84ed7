//! Sign-In with Ethereum (EIP-4361): checking a signed sign-in message.
//!
//! The message is parsed by the `siwe` crate and must be in EIP-4361's exact layout (the
//! signature is of its bytes). It must be for the page the widget runs on: its domain and
//! its URI's authority agree, the URI's origin is one the campaign allows (any local page
//! in development mode), and the request's `Origin`, when a browser sends one, is that
//! origin. Its chain must be one this server has an RPC endpoint for, its time window must
//! hold, and its signature must be by its address: the address's key's EIP-191
//! `personal_sign`, or, for a contract wallet, one the contract accepts as its own
//! (EIP-1271 `isValidSignature`, asked of the chain's node). The nonce is checked and used
//! up by the route, against the ones this server issued (`db/wallet_nonces.rs`).

use std::str::FromStr;

use alloy_primitives::Address;
use alloy_sol_types::SolCall;

use crate::cors::allows_origin;
use crate::error::AppError;
use crate::evm::rpc::{EvmRpc, RpcError};

alloy_sol_types::sol! {
    /// EIP-1271: whether `signature` of `hash` is the contract's own.
    function isValidSignature(bytes32 hash, bytes signature) external view returns (bytes4 magic);
}

/// What `isValidSignature` answers for a signature the contract accepts.
const EIP1271_MAGIC: [u8; 4] = [0x16, 0x26, 0xba, 0x7e];

/// The provider name of wallets' links, and the platform of a user known by a wallet alone.
pub const ETHEREUM: &str = "ethereum";

/// How far in the future a message's `Issued At` may be (clock skew), seconds.
const SKEW_SECS: i64 = 60;

/// Why a sign-in message was refused (each is a 401 `invalid_siwe`, with this reason).
#[derive(Debug, thiserror::Error)]
pub enum SiweError {
    /// Not an EIP-4361 message, or not in its exact layout.
    #[error("the message is not an EIP-4361 message: {0}")]
    Malformed(String),
    /// The signature is not `0x` and hex bytes.
    #[error("the signature is not 0x-prefixed hex bytes")]
    SignatureEncoding,
    /// The message is for a page the campaign does not allow.
    #[error("the message is for {0}, which is not a page this campaign allows")]
    Domain(String),
    /// The request comes from another page than the message names.
    #[error("the message is for {message}, but the request comes from {origin}")]
    Origin {
        /// The message's origin.
        message: String,
        /// The request's.
        origin: String,
    },
    /// The message's chain is not one this server knows.
    #[error("chain {0} is not a chain this server signs in on")]
    Chain(u64),
    /// The message's expiration time has passed.
    #[error("the message expired at {0}")]
    Expired(String),
    /// The message's not-before time has not come.
    #[error("the message is not valid before {0}")]
    NotYetValid(String),
    /// The message was issued in the future.
    #[error("the message was issued in the future ({0})")]
    FromTheFuture(String),
    /// The nonce is not one this server issued, or it expired or was used.
    #[error("the nonce is unknown, expired or used already: ask for a new one")]
    Nonce,
    /// The signature is not by the message's address.
    #[error("the signature is not by {0}")]
    NotSigner(String),
}

/// A parsed sign-in message.
#[derive(Debug, Clone)]
pub struct SignInMessage {
    message: siwe::Message,
}

impl SignInMessage {
    /// Parses `text`, which must be in EIP-4361's exact layout.
    pub fn parse(text: &str) -> Result<Self, SiweError> {
        let message =
            siwe::Message::from_str(text).map_err(|e| SiweError::Malformed(e.to_string()))?;
        // The signature is of the bytes the wallet showed: a message that parses but does not
        // write back the same (other line breaks, spacing) would be checked against other
        // bytes than were signed.
        if message.to_string() != text {
            return Err(SiweError::Malformed(
                "it is not in EIP-4361's exact layout (line breaks, spacing)".into(),
            ));
        }
        Ok(Self { message })
    }

    /// The signing address, EIP-55 checksummed.
    pub fn address(&self) -> String {
        siwe::eip55(&self.message.address)
    }

    /// The nonce.
    pub fn nonce(&self) -> &str {
        &self.message.nonce
    }

    /// Checks that the message is for the page the request comes from: its URI's authority
    /// is its domain, the URI's origin is one of `allowed` (or a local page, when `dev`),
    /// and `origin` (the request's `Origin` header, if any) is that origin.
    pub fn check_page(
        &self,
        allowed: &[String],
        origin: Option<&str>,
        dev: bool,
    ) -> Result<(), SiweError> {
        let domain = self.message.domain.as_str();
        let uri = &self.message.uri;
        let page = match uri.authority_str() {
            Some(authority) if authority.eq_ignore_ascii_case(domain) => {
                format!("{}://{}", uri.scheme_str(), authority).to_ascii_lowercase()
            }
            _ => return Err(SiweError::Domain(format!("{domain} (URI {uri})"))),
        };
        if !allows_origin(allowed, &page, dev) {
            return Err(SiweError::Domain(page));
        }
        match origin {
            Some(origin) if !origin.eq_ignore_ascii_case(&page) => Err(SiweError::Origin {
                message: page,
                origin: origin.to_owned(),
            }),
            _ => Ok(()),
        }
    }

    /// Checks that the message's chain is one of `chains`.
    pub fn check_chain(&self, chains: impl IntoIterator<Item = u64>) -> Result<(), SiweError> {
        let chain = self.message.chain_id;
        match chains.into_iter().any(|known| known == chain) {
            true => Ok(()),
            false => Err(SiweError::Chain(chain)),
        }
    }

    /// Checks the message's time window at `now` (Unix seconds).
    pub fn check_time(&self, now: i64) -> Result<(), SiweError> {
        let message = &self.message;
        let seconds = |stamp: &siwe::TimeStamp| stamp.as_ref().unix_timestamp();
        if let Some(expires) = &message.expiration_time {
            if seconds(expires) <= now {
                return Err(SiweError::Expired(expires.to_string()));
            }
        }
        if let Some(not_before) = &message.not_before {
            if seconds(not_before) > now {
                return Err(SiweError::NotYetValid(not_before.to_string()));
            }
        }
        if seconds(&message.issued_at) > now + SKEW_SECS {
            return Err(SiweError::FromTheFuture(message.issued_at.to_string()));
        }
        Ok(())
    }

    /// Checks that `signature` is the message's address's EIP-191 (`personal_sign`)
    /// signature of it.
    pub fn check_signature(&self, signature: &[u8]) -> Result<(), SiweError> {
        let not_signer = || SiweError::NotSigner(self.address());
        let signature: &[u8; 65] = signature.try_into().map_err(|_| not_signer())?;
        self.message
            .verify_eip191(signature)
            .map(|_| ())
            .map_err(|_| not_signer())
    }

    /// Checks that `signature` is the message's address's own when that address is a
    /// contract wallet on the message's chain (EIP-1271): the contract's
    /// `isValidSignature(EIP-191 hash of the message, signature)` answers its magic value.
    /// An address without code, a call that reverts or another answer is not its signature;
    /// a node that does not answer is the server's problem (503), not the user's.
    pub async fn check_contract_signature(
        &self,
        rpc: &EvmRpc,
        signature: &[u8],
    ) -> Result<(), AppError> {
        let not_signer = || AppError::from(SiweError::NotSigner(self.address()));
        let chain = self.message.chain_id;
        let wallet = Address::from(self.message.address);
        if rpc.code(chain, wallet).await?.is_empty() {
            return Err(not_signer());
        }
        let hash = self
            .message
            .eip191_hash()
            .map_err(|_| SiweError::Malformed("it does not write back".into()))?;
        let call = isValidSignatureCall {
            hash: hash.into(),
            signature: signature.to_vec().into(),
        };
        match rpc.call(chain, wallet, &call.abi_encode()).await {
            Ok(answer) => match isValidSignatureCall::abi_decode_returns(&answer) {
                Ok(magic) if magic.0 == EIP1271_MAGIC => Ok(()),
                _ => Err(not_signer()),
            },
            Err(RpcError::Refused { .. }) => Err(not_signer()),
            Err(error) => Err(error.into()),
        }
    }
}

/// The EIP-4361 message for `address` (any case; written checksummed) signing in on page
/// `uri` (its authority is the message's domain) on chain `chain_id` with `nonce`, issued at
/// `now` and expiring at `expires` (Unix seconds). Its statement names the campaign
/// `title`. Written by the `siwe` crate, so it is in the exact layout sign-in checks.
pub fn message_for(
    address: &str,
    uri: &str,
    chain_id: u64,
    nonce: &str,
    title: &str,
    now: i64,
    expires: i64,
) -> Result<String, AppError> {
    let bad = |what: &str| AppError::InvalidRequest(what.to_owned());
    let address = address
        .strip_prefix("0x")
        .filter(|hex| hex.len() == 40)
        .and_then(|hex| Address::from_str(hex).ok())
        .ok_or_else(|| bad("address: 0x and 40 hex digits"))?;
    let page = url::Url::parse(uri)
        .ok()
        .filter(|page| matches!(page.scheme(), "http" | "https") && page.host_str().is_some())
        .ok_or_else(|| bad("uri: an absolute http(s) URL"))?;
    let domain = match (page.host_str(), page.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => return Err(bad("uri: an absolute http(s) URL")),
    };
    // A statement is one line.
    let title: String = title.chars().filter(|c| !c.is_control()).collect();
    let time = |at: i64| {
        jiff::Timestamp::from_second(at)
            .map(|t| t.to_string())
            .map_err(|_| AppError::Internal(format!("time {at}")))
    };
    let text = format!(
        "{domain} wants you to sign in with your Ethereum account:\n{}\n\n\
         Sign in to {title}.\n\n\
         URI: {page}\nVersion: 1\nChain ID: {chain_id}\nNonce: {nonce}\n\
         Issued At: {}\nExpiration Time: {}",
        siwe::eip55(&address.0 .0),
        time(now)?,
        time(expires)?,
    );
    let message = siwe::Message::from_str(&text)
        .map_err(|e| AppError::InvalidRequest(format!("the message would be malformed: {e}")))?;
    Ok(message.to_string())
}

/// The bytes of a `0x`-prefixed hex signature.
pub fn decode_signature(signature: &str) -> Result<Vec<u8>, SiweError> {
    let hex = signature
        .strip_prefix("0x")
        .ok_or(SiweError::SignatureEncoding)?;
    hex::decode(hex).map_err(|_| SiweError::SignatureEncoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Made and signed by npm `siwe` 3.0.0 and `ethers` 6.17.0 with anvil's first
    /// development key (`/work/notes/issue15-research/siwe-sign.cjs`).
    const MESSAGE: &str = "localhost:8080 wants you to sign in with your Ethereum account:\n0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n\nSign in to the demo\n\nURI: http://localhost:8080\nVersion: 1\nChain ID: 31337\nNonce: abcdefgh12345678\nIssued At: 2025-01-01T00:00:00.000Z";
    const SIGNATURE: &str = "0x4c3190442ec72a8438dfd09d0032eae3082e4c806d6d4b8a027944164dbd3c3206ec5d6cd3a78a47480baa37625bc591a5d37109b55d1a5b2f737601b45e38c61b";
    /// The same key's signature of the message without a statement.
    const OTHER_SIGNATURE: &str = "0x0debaee99742b9ee516c5a2fdb6285aaad5d0a1afd922c86a67399125a887e273ffc0b206b066c5c9a3d71138a69a5292fe3bf43bbb09d91f9affe5aa32edd251c";
    /// 2025-01-01T00:00:00Z.
    const ISSUED: i64 = 1_735_689_600;

    #[test]
    fn a_message_signed_by_ethers_verifies() {
        let message = SignInMessage::parse(MESSAGE).unwrap();
        assert_eq!(
            message.address(),
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
        );
        assert_eq!(message.nonce(), "abcdefgh12345678");
        message
            .check_signature(&decode_signature(SIGNATURE).unwrap())
            .unwrap();
        let wrong = message.check_signature(&decode_signature(OTHER_SIGNATURE).unwrap());
        assert!(matches!(wrong, Err(SiweError::NotSigner(_))), "{wrong:?}");
        let short = message.check_signature(&[1; 64]);
        assert!(matches!(short, Err(SiweError::NotSigner(_))), "{short:?}");
    }

    #[test]
    fn a_message_not_in_the_exact_layout_is_refused() {
        let spaced = MESSAGE.replace("Version: 1", "Version:  1");
        assert!(matches!(
            SignInMessage::parse(&spaced),
            Err(SiweError::Malformed(_))
        ));
        let trailing = format!("{MESSAGE}\n");
        assert!(matches!(
            SignInMessage::parse(&trailing),
            Err(SiweError::Malformed(_))
        ));
        assert!(decode_signature("4c31").is_err());
        assert!(decode_signature("0xzz").is_err());
    }

    #[test]
    fn the_page_must_be_allowed_and_the_requests_own() {
        let message = SignInMessage::parse(MESSAGE).unwrap();
        let allowed = ["http://localhost:8080/".to_owned()];
        message.check_page(&allowed, None, false).unwrap();
        message
            .check_page(&allowed, Some("http://localhost:8080"), false)
            .unwrap();
        let elsewhere = message.check_page(&allowed, Some("https://evil.example"), false);
        assert!(matches!(elsewhere, Err(SiweError::Origin { .. })));
        let other = ["https://shop.example".to_owned()];
        assert!(matches!(
            message.check_page(&other, None, false),
            Err(SiweError::Domain(_))
        ));
        message.check_page(&other, None, true).unwrap();
        let uri_elsewhere =
            MESSAGE.replace("URI: http://localhost:8080", "URI: http://evil.example");
        let message = SignInMessage::parse(&uri_elsewhere).unwrap();
        assert!(matches!(
            message.check_page(&allowed, None, true),
            Err(SiweError::Domain(_))
        ));
    }

    #[test]
    fn the_time_window_and_chain_are_checked() {
        let message = SignInMessage::parse(MESSAGE).unwrap();
        message.check_time(ISSUED).unwrap();
        message.check_time(ISSUED - SKEW_SECS).unwrap();
        assert!(matches!(
            message.check_time(ISSUED - SKEW_SECS - 1),
            Err(SiweError::FromTheFuture(_))
        ));
        let expiring = format!("{MESSAGE}\nExpiration Time: 2025-01-01T00:10:00.000Z");
        let message = SignInMessage::parse(&expiring).unwrap();
        message.check_time(ISSUED + 599).unwrap();
        assert!(matches!(
            message.check_time(ISSUED + 600),
            Err(SiweError::Expired(_))
        ));
        let later = format!("{MESSAGE}\nNot Before: 2025-01-01T00:05:00.000Z");
        let message = SignInMessage::parse(&later).unwrap();
        assert!(matches!(
            message.check_time(ISSUED),
            Err(SiweError::NotYetValid(_))
        ));
        message.check_time(ISSUED + 300).unwrap();
        message.check_chain([1, 31337]).unwrap();
        assert!(matches!(
            message.check_chain([1]),
            Err(SiweError::Chain(31337))
        ));
    }
}
