//! Authentication: organization API tokens, OAuth2 client credentials,
//! user tokens, and the sign-ins that answer user tokens (`telegram`: Mini App `initData`;
//! `siwe`: Sign-In with Ethereum; both end in `identity`). Secrets are generated in `secrets`, stored only as hashes and compared in
//! constant time; JWTs are signed and verified in `jwt` with the keys of `keys`; handlers
//! receive an authenticated [`extract::OrgAuth`] or [`extract::UserAuth`]. The partner
//! console's members sign in with `passwords` and act through `sessions` (a cookie).

pub mod extract;
pub mod identity;
pub mod jwt;
pub mod keys;
pub mod passwords;
pub mod rate_limit;
pub mod secrets;
pub mod sessions;
pub mod siwe;
pub mod telegram;
pub mod verified_tokens;
