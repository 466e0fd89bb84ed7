//! On-chain tasks: balances (native coin, ERC-20, ERC-721, ERC-1155), a transaction count,
//! and a transaction sent to a contract. Each is checked in the user's wallet on the task's
//! chain, through the chain's JSON-RPC endpoint (`--evm-chain`, [`EvmRpc`]); contract calls
//! are encoded and decoded by `alloy-sol-types`.
//!
//! The user's wallet is the account of a user signed in with Sign-In with Ethereum
//! (platform `ethereum`), or the wallet linked to the partner's user ([`wallet_of`]).

use std::str::FromStr;

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolCall;
use questlet_types::attempt::TaskAnswer;
use questlet_types::{TaskConfig, TokenAmount};

use super::Rejection;
use crate::auth::extract::UserAuth;
use crate::auth::siwe::ETHEREUM;
use crate::db::Db;
use crate::error::AppError;
use crate::evm::rpc::{EvmRpc, RpcError};

mod erc {
    alloy_sol_types::sol! {
        /// ERC-20 and ERC-721: how many tokens `owner` holds.
        function balanceOf(address owner) external view returns (uint256);
        /// ERC-721: who owns token `id` (reverts for a token that does not exist).
        function ownerOf(uint256 id) external view returns (address);
    }

    /// ERC-1155's `balanceOf` (a different signature from ERC-20's).
    pub mod erc1155 {
        alloy_sol_types::sol! {
            /// How many of token `id` `account` holds.
            function balanceOf(address account, uint256 id) external view returns (uint256);
        }
    }
}

/// The chain an on-chain task is checked on; none for other tasks.
pub fn chain_of(config: &TaskConfig) -> Option<u64> {
    match config {
        TaskConfig::NativeBalance { chain, .. }
        | TaskConfig::Erc20Balance { chain, .. }
        | TaskConfig::Erc721Owner { chain, .. }
        | TaskConfig::Erc1155Balance { chain, .. }
        | TaskConfig::TransactionCount { chain, .. }
        | TaskConfig::ContractTransaction { chain, .. } => Some(*chain),
        _ => None,
    }
}

/// What a passed on-chain check claims: the transaction it counted (`<chain>:<hash>`), for
/// a contract transaction task, so it counts once per task.
pub type Counted = Option<String>;

/// Checks on-chain task `config` for `user`, whose task opened at `opened_at` (Unix
/// seconds; none: it was always open). A failed check is a [`Rejection`]; a chain that
/// does not answer is an error (nothing was judged, so nothing is stored).
pub async fn verify(
    db: &Db,
    rpc: &EvmRpc,
    config: &TaskConfig,
    answer: &TaskAnswer,
    user: &UserAuth,
    opened_at: Option<i64>,
) -> Result<Result<Counted, Rejection>, AppError> {
    let Some(chain) = chain_of(config) else {
        return Ok(Err(Rejection("this is not an on-chain task".into())));
    };
    let Some(wallet) = wallet_of(db, user).await? else {
        return Ok(Err(Rejection(
            "Connect a wallet first: this task is checked on chain.".into(),
        )));
    };
    let checked = match (config, answer) {
        (
            TaskConfig::ContractTransaction {
                contract, method, ..
            },
            answer,
        ) => {
            let TaskAnswer::ContractTransaction { hash } = answer else {
                return Ok(Err(Rejection(
                    "send the hash of your transaction (a contract_transaction answer)".into(),
                )));
            };
            let expected = Sent {
                from: wallet,
                to: parse_address(contract)?,
                selector: method.as_deref().map(selector).transpose()?,
                not_before: opened_at,
            };
            return sent_transaction(rpc, chain, hash, &expected).await;
        }
        (_, TaskAnswer::WalletCheck {}) => holds(rpc, chain, config, wallet).await,
        (config, _) => {
            return Ok(Err(Rejection(format!(
                "this is a {} task: send a wallet_check answer",
                config.kind().as_str()
            ))))
        }
    };
    Ok(if checked? {
        Ok(None)
    } else {
        Err(Rejection(shortfall(config).into()))
    })
}

/// The wallet `user` is known by: their account when they signed in with one, else the
/// wallet linked to them, if any.
pub async fn wallet_of(db: &Db, user: &UserAuth) -> Result<Option<Address>, sqlx::Error> {
    if user.platform == ETHEREUM {
        return Ok(Address::from_str(&user.account).ok());
    }
    let linked = db
        .linked_identity(
            &user.organization_id,
            ETHEREUM,
            &user.platform,
            &user.account,
        )
        .await?;
    Ok(linked.and_then(|address| Address::from_str(&address).ok()))
}

/// Whether `wallet` meets balance or count task `config` on `chain`.
async fn holds(
    rpc: &EvmRpc,
    chain: u64,
    config: &TaskConfig,
    wallet: Address,
) -> Result<bool, AppError> {
    Ok(match config {
        TaskConfig::NativeBalance { min, .. } => rpc.balance(chain, wallet).await? >= amount(min)?,
        TaskConfig::Erc20Balance { token, min, .. } => {
            let call = erc::balanceOfCall { owner: wallet };
            let balance = call_contract(rpc, chain, parse_address(token)?, call).await?;
            balance >= amount(min)?
        }
        TaskConfig::Erc721Owner {
            collection,
            token_id: Some(id),
            ..
        } => {
            let call = erc::ownerOfCall { id: amount(id)? };
            match call_contract(rpc, chain, parse_address(collection)?, call).await {
                Ok(owner) => owner == wallet,
                // `ownerOf` reverts for a token nobody owns.
                Err(RpcError::Refused { .. }) => false,
                Err(error) => return Err(error.into()),
            }
        }
        TaskConfig::Erc721Owner {
            collection,
            token_id: None,
            ..
        } => {
            let call = erc::balanceOfCall { owner: wallet };
            call_contract(rpc, chain, parse_address(collection)?, call).await? >= U256::from(1)
        }
        TaskConfig::Erc1155Balance {
            collection,
            token_id,
            min,
            ..
        } => {
            let call = erc::erc1155::balanceOfCall {
                account: wallet,
                id: amount(token_id)?,
            };
            call_contract(rpc, chain, parse_address(collection)?, call).await? >= amount(min)?
        }
        TaskConfig::TransactionCount { min, .. } => {
            rpc.transaction_count(chain, wallet).await? >= U256::from(*min)
        }
        _ => false,
    })
}

/// What the user is told when their wallet falls short of task `config`.
fn shortfall(config: &TaskConfig) -> &'static str {
    match config {
        TaskConfig::NativeBalance { .. } => "Your wallet's balance is below what this task needs.",
        TaskConfig::Erc20Balance { .. } | TaskConfig::Erc1155Balance { .. } => {
            "Your wallet does not hold enough of this token."
        }
        TaskConfig::Erc721Owner { .. } => "Your wallet does not own this token.",
        TaskConfig::TransactionCount { .. } => "Your wallet has not sent enough transactions yet.",
        _ => "Your wallet does not meet this task.",
    }
}

/// What a contract transaction must be.
#[derive(Debug, Clone)]
struct Sent {
    /// The user's wallet.
    from: Address,
    /// The contract.
    to: Address,
    /// The method's selector, if the task names one.
    selector: Option<[u8; 4]>,
    /// The earliest block time accepted (Unix seconds).
    not_before: Option<i64>,
}

/// Checks that transaction `hash` on `chain` is what `expected` asks: sent from the user's
/// wallet to the contract, calling the method, successful, in a block no earlier than the
/// task's opening. Answers what it counts (`<chain>:<hash>`).
async fn sent_transaction(
    rpc: &EvmRpc,
    chain: u64,
    hash: &str,
    expected: &Sent,
) -> Result<Result<Counted, Rejection>, AppError> {
    let reject = |why: &str| Ok(Err(Rejection(why.to_owned())));
    let Some(hash) = parse_hash(hash) else {
        return reject("A transaction hash is 0x and 64 hex digits.");
    };
    let Some(transaction) = rpc.transaction(chain, hash).await? else {
        return reject("This transaction is not on the task's chain (yet): try again shortly.");
    };
    if transaction.from != expected.from {
        return reject("This transaction was not sent from your wallet.");
    }
    if transaction.to != Some(expected.to) {
        return reject("This transaction was not sent to the task's contract.");
    }
    if let Some(selector) = expected.selector {
        if transaction.input.get(..4) != Some(selector.as_slice()) {
            return reject("This transaction does not call the task's method.");
        }
    }
    let Some(receipt) = rpc.receipt(chain, hash).await? else {
        return reject("This transaction is not in a block yet: try again shortly.");
    };
    if receipt.status != U256::from(1) {
        return reject("This transaction failed (it reverted).");
    }
    if let Some(not_before) = expected.not_before {
        let at = rpc.block_time(chain, receipt.block_number).await?;
        if i64::try_from(at).unwrap_or(i64::MAX) < not_before {
            return reject("This transaction was sent before the task opened.");
        }
    }
    Ok(Ok(Some(format!("{chain}:{hash}"))))
}

/// Calls view function `call` of `contract` on `chain` and decodes its answer.
async fn call_contract<C: SolCall>(
    rpc: &EvmRpc,
    chain: u64,
    contract: Address,
    call: C,
) -> Result<C::Return, RpcError> {
    let answer = rpc.call(chain, contract, &call.abi_encode()).await?;
    C::abi_decode_returns(&answer).map_err(|e| RpcError::Refused {
        chain,
        method: "eth_call",
        message: format!("the contract's answer does not decode: {e}"),
    })
}

/// A stored address (validated on write).
fn parse_address(text: &str) -> Result<Address, AppError> {
    Address::from_str(text).map_err(|_| AppError::Internal(format!("stored address {text:?}")))
}

/// A stored amount (validated on write).
fn amount(value: &TokenAmount) -> Result<U256, AppError> {
    parse_amount(value).ok_or_else(|| AppError::Internal(format!("stored amount {:?}", value.0)))
}

/// `value` as a number, if it is one below 2^256.
pub fn parse_amount(value: &TokenAmount) -> Option<U256> {
    value
        .is_decimal()
        .then(|| U256::from_str_radix(&value.0, 10).ok())
        .flatten()
}

/// The selector of `method`: a Solidity signature (`mint(uint256)`, hashed) or a 4-byte
/// selector written as hex (`0x40c10f19`).
pub fn selector(method: &str) -> Result<[u8; 4], AppError> {
    let method = method.trim();
    if let Some(hex) = method.strip_prefix("0x") {
        let bytes = hex::decode(hex).ok().filter(|b| b.len() == 4);
        return bytes
            .map(|b| [b[0], b[1], b[2], b[3]])
            .ok_or_else(|| AppError::InvalidRequest("a selector is 0x and 8 hex digits".into()));
    }
    let signature: String = method.chars().filter(|c| !c.is_whitespace()).collect();
    let well_formed = signature
        .split_once('(')
        .is_some_and(|(name, rest)| !name.is_empty() && rest.ends_with(')'));
    if !well_formed {
        return Err(AppError::InvalidRequest(
            "a method is a signature like mint(uint256), or a 4-byte selector".into(),
        ));
    }
    let hash = keccak256(signature.as_bytes());
    Ok([hash[0], hash[1], hash[2], hash[3]])
}

/// A transaction hash, if `text` is one.
fn parse_hash(text: &str) -> Option<B256> {
    let hex = text.trim().strip_prefix("0x")?;
    (hex.len() == 64)
        .then(|| B256::from_str(hex).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_come_from_signatures_or_hex() {
        // ERC-20 transfer(address,uint256) is 0xa9059cbb.
        assert_eq!(
            selector("transfer(address, uint256)").unwrap(),
            [0xa9, 0x05, 0x9c, 0xbb]
        );
        assert_eq!(selector("0xa9059cbb").unwrap(), [0xa9, 0x05, 0x9c, 0xbb]);
        assert!(selector("0xa9059c").is_err());
        assert!(selector("transfer").is_err());
    }

    #[test]
    fn amounts_are_decimal_below_2_256() {
        assert_eq!(
            parse_amount(&TokenAmount("1000".into())),
            Some(U256::from(1000))
        );
        assert!(parse_amount(&TokenAmount("0x10".into())).is_none());
        assert!(parse_amount(&TokenAmount("".into())).is_none());
        assert!(parse_amount(&TokenAmount("9".repeat(78))).is_none());
        assert!(parse_amount(&TokenAmount(U256::MAX.to_string())).is_some());
    }

    #[test]
    fn hashes_are_32_bytes_of_hex() {
        assert!(parse_hash(&format!("0x{}", "ab".repeat(32))).is_some());
        assert!(parse_hash(&"ab".repeat(32)).is_none());
        assert!(parse_hash("0x1234").is_none());
    }
}
