//! Where a request came from: the transport and, for the question log, who sent it.

/// Who sent a request and through what, for the question log; `None` on the command line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub transport: Transport,
    pub user: u64,
    pub guild: Option<u64>,
    pub channel: Option<u64>,
}

/// Logs never hold a user id: the user shows as its log tag.
impl std::fmt::Debug for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Origin")
            .field("transport", &self.transport)
            .field("user", &crate::bot::user_tag(self.user))
            .field("guild", &self.guild)
            .field("channel", &self.channel)
            .finish()
    }
}

/// The transport a request came by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Gateway,
    Http,
    Console,
    CommandLine,
}

impl Transport {
    /// The name the question log and the metrics give it.
    pub fn name(self) -> &'static str {
        match self {
            Transport::Gateway => "gateway",
            Transport::Http => "http",
            Transport::Console => "console",
            Transport::CommandLine => "cli",
        }
    }
}
