//! Authentication: organization API tokens (seed 000), OAuth2 client credentials (seed 004)
//! and, later, user tokens. Secrets are generated here, stored only as hashes and compared in
//! constant time.

pub mod secrets;
