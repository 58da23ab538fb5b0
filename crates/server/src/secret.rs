//! The server's own secret, made at first start and kept in the data folder, readable
//! only by the server's user. It keys the MACs of one-time codes.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use rand::RngCore;

pub const SECRET_FILE: &str = "server.key";
const LENGTH: usize = 32;

#[derive(Clone)]
pub struct ServerSecret([u8; LENGTH]);

impl ServerSecret {
    pub fn load_or_create(data_dir: &Path) -> io::Result<Self> {
        let path = data_dir.join(SECRET_FILE);
        match fs::read(&path) {
            Ok(bytes) => bytes
                .try_into()
                .map(Self)
                .map_err(|_| io::Error::other(format!("{} is not {LENGTH} bytes", path.display()))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let mut key = [0; LENGTH];
                rand::rngs::OsRng.fill_bytes(&mut key);
                let mut options = fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                options.open(&path)?.write_all(&key)?;
                Ok(Self(key))
            }
            Err(e) => Err(e),
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// 128 random bits in hex: ids that are a client's only handle on a record, so they
/// must not be guessable.
pub fn random_id() -> String {
    random_hex(16)
}

/// `bytes` random bytes from the OS, in hex.
pub fn random_hex(bytes: usize) -> String {
    let mut random = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut random);
    random.iter().map(|b| format!("{b:02x}")).collect()
}
