//! Downloading a file attached to a command (`/document add`). Only Discord's own file hosts
//! are fetched (and the configured API proxy, which stands for Discord), so a forged payload
//! cannot make the bot fetch an address of its choosing; at most
//! [`UPLOAD_MAX_BYTES`] are read, whatever the attachment's stated size.

use std::time::Duration;

use crate::bot::command::{Attachment, EXCERPT, excerpt};
use crate::config::Settings;
use crate::corpus::document_edit::UPLOAD_MAX_BYTES;

/// Where Discord serves attachments.
const DISCORD_HOSTS: [&str; 2] = [
    "https://cdn.discordapp.com/",
    "https://media.discordapp.net/",
];
/// The longest a download may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Whether `url` is one the bot may download an attachment from.
pub fn allowed(url: &str, settings: &Settings) -> bool {
    let proxy = settings.api_proxy.as_ref().map(|p| format!("{p}/"));
    DISCORD_HOSTS
        .iter()
        .copied()
        .chain(proxy.as_deref())
        .any(|host| url.starts_with(host))
        // No userinfo or path tricks: what follows the host is a plain path.
        && !url.contains('@')
        && !url.contains("/../")
}

/// The attachment's bytes, or why they could not be had (written for the moderator).
pub async fn download(file: &Attachment, settings: &Settings) -> Result<Vec<u8>, String> {
    let name = excerpt(&file.file_name, EXCERPT);
    if !allowed(&file.url, settings) {
        return Err(format!(
            "{name:?} is not a Discord attachment; nothing was downloaded."
        ));
    }
    let failed = |why: String| format!("{name:?} could not be downloaded ({why}); try again.");
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| failed(e.to_string()))?;
    let mut response = client
        .get(&file.url)
        .send()
        .await
        .map_err(|e| failed(e.without_url().to_string()))?;
    if !response.status().is_success() {
        return Err(failed(format!("HTTP {}", response.status().as_u16())));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| failed(e.without_url().to_string()))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() as u64 > UPLOAD_MAX_BYTES {
            return Err(format!(
                "{name:?} is too large: a document may have at most {UPLOAD_MAX_BYTES} bytes."
            ));
        }
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_discords_hosts_and_the_proxy_are_fetched() {
        let settings = Settings {
            api_proxy: Some("http://127.0.0.1:9000".into()),
            ..Settings::default()
        };
        for url in [
            "https://cdn.discordapp.com/attachments/1/2/report.txt",
            "https://media.discordapp.net/attachments/1/2/report.md",
            "http://127.0.0.1:9000/attachments/7/report.txt",
        ] {
            assert!(allowed(url, &settings), "{url}");
        }
        for url in [
            "http://cdn.discordapp.com/attachments/1/2/report.txt",
            "https://cdn.discordapp.com.evil.example/report.txt",
            "https://cdn.discordapp.com/@evil.example/report.txt",
            "http://127.0.0.1:9000/../admin",
            "http://127.0.0.1:90001/report.txt",
            "http://169.254.169.254/latest/meta-data",
            "file:///etc/passwd",
        ] {
            assert!(!allowed(url, &settings), "{url}");
        }
        assert!(!allowed(
            "http://127.0.0.1:9000/attachments/7/report.txt",
            &Settings::default()
        ));
    }
}
