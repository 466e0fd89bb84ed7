//! The server's JSON-RPC client of the chains it knows (`--evm-chain`): the few calls it
//! makes (code, balances, nonces, contract calls, transactions with their receipts and
//! blocks), each to the chain's configured endpoint, bounded in time. Contract calls are
//! encoded and decoded by `alloy-sol-types` in the callers.

use std::collections::HashMap;
use std::time::Duration;

use alloy_primitives::{Address, B256, U256};
use serde::de::DeserializeOwned;
use serde::Deserialize;
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

/// The part of a transaction the server reads (`eth_getTransactionByHash`).
#[derive(Debug, Clone, Deserialize)]
pub struct Transaction {
    /// Its sender.
    pub from: Address,
    /// Its recipient (none for a contract creation).
    pub to: Option<Address>,
    /// Its call data.
    pub input: alloy_primitives::Bytes,
}

/// The part of a receipt the server reads (`eth_getTransactionReceipt`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    /// `1` when it succeeded, `0` when it reverted.
    pub status: U256,
    /// The block it is in.
    pub block_number: U256,
}

/// The part of a block the server reads.
#[derive(Debug, Clone, Deserialize)]
struct Block {
    /// Its time, in Unix seconds.
    timestamp: U256,
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

    /// Whether this server knows chain `chain`.
    pub fn knows(&self, chain: u64) -> bool {
        self.endpoints.contains_key(&chain)
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

    /// Calls `method` and reads its result as `T` (JSON-RPC's quantities, addresses and
    /// hashes as alloy reads them).
    async fn read<T: DeserializeOwned>(
        &self,
        chain: u64,
        method: &'static str,
        params: Value,
    ) -> Result<T, RpcError> {
        let result = self.request(chain, method, params).await?;
        serde_json::from_value(result).map_err(|e| RpcError::Unreachable {
            chain,
            reason: format!("{method} answered an unexpected shape: {e}"),
        })
    }

    /// The balance of `address` on chain `chain`, in wei (at the latest block).
    pub async fn balance(&self, chain: u64, address: Address) -> Result<U256, RpcError> {
        self.read(chain, "eth_getBalance", json!([address, "latest"]))
            .await
    }

    /// How many transactions `address` has sent on chain `chain` (its nonce at the latest
    /// block).
    pub async fn transaction_count(&self, chain: u64, address: Address) -> Result<U256, RpcError> {
        self.read(chain, "eth_getTransactionCount", json!([address, "latest"]))
            .await
    }

    /// Transaction `hash` on chain `chain`, if the node knows it.
    pub async fn transaction(
        &self,
        chain: u64,
        hash: B256,
    ) -> Result<Option<Transaction>, RpcError> {
        self.read(chain, "eth_getTransactionByHash", json!([hash]))
            .await
    }

    /// The receipt of transaction `hash` on chain `chain`, once it is in a block.
    pub async fn receipt(&self, chain: u64, hash: B256) -> Result<Option<Receipt>, RpcError> {
        self.read(chain, "eth_getTransactionReceipt", json!([hash]))
            .await
    }

    /// The time of block `number` on chain `chain`, in Unix seconds.
    pub async fn block_time(&self, chain: u64, number: U256) -> Result<u64, RpcError> {
        let block: Option<Block> = self
            .read(chain, "eth_getBlockByNumber", json!([number, false]))
            .await?;
        let block = block.ok_or_else(|| RpcError::Unreachable {
            chain,
            reason: format!("block {number} is not known"),
        })?;
        u64::try_from(block.timestamp).map_err(|_| RpcError::Unreachable {
            chain,
            reason: format!("block {number}'s time is out of range"),
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
