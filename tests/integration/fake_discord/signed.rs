//! Requests to the HTTP interactions endpoint signed as Discord signs them (Ed25519 over the
//! timestamp and body), with the key pair of the tests.

use super::*;

/// The tests' signing key; its public half is the endpoint's `DISCORD_PUBLIC_KEY`.
pub fn signing_key() -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&[7; 32])
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `DISCORD_PUBLIC_KEY` for [`signing_key`].
pub fn public_key_hex() -> String {
    hex(signing_key().verifying_key().as_bytes())
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The signature headers Discord sends for `body` at `timestamp`.
pub fn signature(timestamp: i64, body: &[u8]) -> String {
    use ed25519_dalek::Signer;
    let message = [timestamp.to_string().as_bytes(), body].concat();
    hex(&signing_key().sign(&message).to_bytes())
}

/// POSTs `body` to `{url}/interactions`, signed at `timestamp`; the status and the JSON reply.
pub async fn post_signed(
    client: &reqwest::Client,
    url: &str,
    body: &[u8],
    timestamp: i64,
) -> (u16, Value) {
    try_post_signed(client, url, body, timestamp).await.unwrap()
}

/// [`post_signed`], with a connection that fails (a killed server) as an error.
pub async fn try_post_signed(
    client: &reqwest::Client,
    url: &str,
    body: &[u8],
    timestamp: i64,
) -> Result<(u16, Value), reqwest::Error> {
    let response = client
        .post(format!("{url}/interactions"))
        .header("content-type", "application/json")
        .header("x-signature-ed25519", signature(timestamp, body))
        .header("x-signature-timestamp", timestamp.to_string())
        .body(body.to_vec())
        .send()
        .await?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await?;
    Ok((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}
