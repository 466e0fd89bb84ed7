//! The server's JSON-RPC client of the chains it knows (`--evm-chain`): the few calls it
//! makes (`eth_getCode`, `eth_call`), each to the chain's configured endpoint, bounded in
//! time. Contract calls are encoded and decoded by `alloy-sol-types` in the callers.

use std::collections::HashMap;
use std::time::Duration;

use alloy_primitives::Address;
use serde_json::{json, Value};

use super::EvmChain;

/// How long one call may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Why a call to a chain's node did not answer.
#[derive(Debug, thiserror::Error)]
pub enum RpcError {
    /// The chain is not one this server knows.
    #[error("chain {0} is not a chain this server knows")]
    UnknownChain(u64),
    /// The node could not be reached, or answered no JSON-RPC.
    #[error("chain {chain}'s node did not answer: {reason}")]
    Unreachable {
        /// The chain.
        chain: u64,
        /// What went wrong.
        reason: String,
    },
    /// The node answered with an error (a call that reverted, a bad parameter).
    #[error("chain {chain}'s node refused {method}: {message}")]
    Refused {
        /// The chain.
        chain: u64,
        /// The method called.
        method: &'static str,
        /// The node's error message.
        message: String,
    },
}

/// The JSON-RPC endpoints of the chains this server knows.
#[derive(Debug, Clone)]
pub struct EvmRpc {
    client: reqwest::Client,
    endpoints: HashMap<u64, url::Url>,
}

impl EvmRpc {
    /// A client of `chains`.
    pub fn new(chains: &[EvmChain]) -> Self {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .expect("a plain HTTP client builds");
        Self {
            client,
            endpoints: chains
                .iter()
                .map(|chain| (chain.id, chain.rpc_url.clone()))
                .collect(),
        }
    }

    /// Calls `method` with `params` on chain `chain` and answers its result.
    async fn request(
        &self,
        chain: u64,
        method: &'static str,
        params: Value,
    ) -> Result<Value, RpcError> {
        let endpoint = self
            .endpoints
            .get(&chain)
            .ok_or(RpcError::UnknownChain(chain))?;
        let unreachable = |reason: String| RpcError::Unreachable { chain, reason };
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let answer: Value = self
            .client
            .post(endpoint.clone())
            .json(&body)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| unreachable(e.without_url().to_string()))?
            .json()
            .await
            .map_err(|e| unreachable(format!("not JSON-RPC: {}", e.without_url())))?;
        if let Some(error) = answer.get("error") {
            let message = error["message"].as_str().unwrap_or("an error").to_owned();
            return Err(RpcError::Refused {
                chain,
                method,
                message,
            });
        }
        answer
            .get("result")
            .cloned()
            .ok_or_else(|| unreachable(format!("{method} answered no result")))
    }

    /// Calls `method` and reads its result as hex bytes.
    async fn bytes(
        &self,
        chain: u64,
        method: &'static str,
        params: Value,
    ) -> Result<Vec<u8>, RpcError> {
        let result = self.request(chain, method, params).await?;
        result
            .as_str()
            .and_then(|hex| hex.strip_prefix("0x"))
            .and_then(|hex| hex::decode(hex).ok())
            .ok_or_else(|| RpcError::Unreachable {
                chain,
                reason: format!("{method} answered {result}, not hex bytes"),
            })
    }

    /// The code at `address` on chain `chain` (empty for an account without code).
    pub async fn code(&self, chain: u64, address: Address) -> Result<Vec<u8>, RpcError> {
        self.bytes(chain, "eth_getCode", json!([address, "latest"]))
            .await
    }

    /// What contract `to` on chain `chain` answers `data` (`eth_call` at the latest block).
    pub async fn call(&self, chain: u64, to: Address, data: &[u8]) -> Result<Vec<u8>, RpcError> {
        let call = json!({"to": to, "data": format!("0x{}", hex::encode(data))});
        self.bytes(chain, "eth_call", json!([call, "latest"])).await
    }
}
