//! EVM chains: the ones this server knows, each with the JSON-RPC endpoint it is reached
//! through (a wallet signs in on one of them; `rpc` asks their nodes).

use std::str::FromStr;

pub mod rpc;

/// A chain this server knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvmChain {
    /// Its EIP-155 chain id.
    pub id: u64,
    /// Its JSON-RPC endpoint.
    pub rpc_url: url::Url,
}

impl FromStr for EvmChain {
    type Err = String;

    /// `<chain id>=<JSON-RPC URL>`, e.g. `31337=http://127.0.0.1:8545`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (id, url) = text
            .split_once('=')
            .ok_or_else(|| format!("{text:?}: expected <chain id>=<JSON-RPC URL>"))?;
        let id = id
            .trim()
            .parse()
            .map_err(|_| format!("{id:?}: a chain id is a whole number"))?;
        let rpc_url = url::Url::parse(url.trim()).map_err(|e| format!("{url:?}: {e}"))?;
        if !matches!(rpc_url.scheme(), "http" | "https") {
            return Err(format!("{url:?}: a JSON-RPC URL is http or https"));
        }
        Ok(Self { id, rpc_url })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_are_an_id_and_an_rpc_url() {
        let chain: EvmChain = "31337=http://127.0.0.1:8545".parse().unwrap();
        assert_eq!(chain.id, 31337);
        assert_eq!(chain.rpc_url.as_str(), "http://127.0.0.1:8545/");
        assert!("31337".parse::<EvmChain>().is_err());
        assert!("main=http://127.0.0.1:8545".parse::<EvmChain>().is_err());
        assert!("1=ws://127.0.0.1:8546".parse::<EvmChain>().is_err());
    }
}
