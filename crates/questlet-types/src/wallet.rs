//! Wallets: signing a user in with their Ethereum wallet (Sign-In with Ethereum, EIP-4361).

use serde::{Deserialize, Serialize};

/// `POST /v1/widget/{organization}/campaigns/{campaign}/wallet/nonce` body, optional (none,
/// or `{}`, for a bare nonce). With `address` and `uri` (and `chain_id`), the answer carries
/// the whole sign-in message for them, so a page needs no EIP-4361 library (nor EIP-55
/// checksums) to sign in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WalletNonceRequest {
    /// The wallet's address, any case.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^0x[0-9a-fA-F]{40}$"))]
    pub address: Option<String>,
    /// The page the user signs in on (its origin must be one the campaign allows).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^https?://.+", max_length = 2048)
    )]
    pub uri: Option<String>,
    /// The chain to sign in on (one this server knows); none: the chain of the campaign's
    /// on-chain tasks, else the first chain the server knows.
    #[serde(default, deserialize_with = "crate::whole_number::option_u64")]
    pub chain_id: Option<u64>,
}

/// `POST /v1/widget/{organization}/campaigns/{campaign}/wallet/nonce` answer: the nonce a
/// sign-in message must carry. It is good for one sign-in, until it expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalletNonceResponse {
    /// The nonce (alphanumeric), for the message's `Nonce:` line.
    pub nonce: String,
    /// Seconds until it expires.
    pub expires_in: i64,
    /// The EIP-4361 message to sign, when the request named the address and page:
    /// for that page's domain and URI, the checksummed address, the chain, this nonce, now,
    /// expiring with the nonce.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `POST /v1/widget/{organization}/campaigns/{campaign}/wallet/sign-in` body: an EIP-4361
/// message and the wallet's `personal_sign` signature of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WalletSignIn {
    /// The message exactly as the wallet signed it: its domain is the page's (an origin the
    /// campaign allows), its URI on that origin, its nonce one this server issued.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 4096))]
    pub message: String,
    /// The signature, `0x` and hex: 65 bytes from an account's key (EIP-191), or whatever
    /// a contract wallet accepts (EIP-1271).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^0x([0-9a-fA-F]{2}){1,4096}$", max_length = 8194)
    )]
    pub signature: String,
}
