//! The derived cache of parsed case files, `.kefu/cache/<YYYYMMDD>`: one shard per day
//! of receipt, holding each verified case as JSON with the file's size, mtime, ctime and
//! inode when it was parsed, and a checksum.
//!
//! Never the source of truth: an entry is used only when the file's metadata is exactly
//! what it was when the entry was made and its checksum holds; anything else (a hand
//! edit, a `git checkout`, a truncated or garbled shard, another kefu version) means the
//! file is parsed again. A file changed in the last two seconds is never cached, because
//! a later write within the same timestamp tick could leave its metadata unchanged.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Changes whenever the cached representation may change.
const MAGIC: &[u8] = concat!("kefu-cache 3 ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();

/// What identifies one version of a file's content without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    mtime: i64,
    mtime_ns: i64,
    ctime: i64,
    ctime_ns: i64,
    ino: u64,
}

impl Stamp {
    pub fn of(meta: &fs::Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            mtime: meta.mtime(),
            mtime_ns: meta.mtime_nsec(),
            ctime: meta.ctime(),
            ctime_ns: meta.ctime_nsec(),
            ino: meta.ino(),
        }
    }

    /// Changed too recently to be told apart from a change in the same tick.
    pub fn is_recent(&self, now_secs: i64) -> bool {
        self.mtime.max(self.ctime) >= now_secs - 2
    }

    fn fields(&self) -> [i64; 6] {
        [
            self.len as i64,
            self.mtime,
            self.mtime_ns,
            self.ctime,
            self.ctime_ns,
            self.ino as i64,
        ]
    }
}

/// What a scan may need to know to pass over a case without decoding it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Brief {
    pub open: bool,
    /// Seconds since the epoch.
    pub received: i64,
    /// The latest `at` of any event, in seconds since the epoch.
    pub last_event: i64,
    /// The complaint's reference in another system (import's duplicate check).
    pub source_ref: Option<String>,
}

impl Brief {
    pub fn of(case: &crate::case::Case) -> Brief {
        Brief {
            open: case.status.is_open(),
            received: case.received_at.timestamp(),
            last_event: case.events.iter().map(|e| e.at.timestamp()).max().unwrap_or(i64::MIN),
            source_ref: case.source_ref.clone(),
        }
    }
}

/// One cached case: the stamp of the file it came from, its brief and its JSON.
pub struct Entry {
    pub id: String,
    pub stamp: Stamp,
    pub brief: Brief,
    pub json: Vec<u8>,
}

/// Read a shard. A missing, foreign or damaged shard is simply empty; a damaged entry
/// ends the shard there.
pub fn read(path: &Path) -> Vec<Entry> {
    let Ok(bytes) = fs::read(path) else {
        return Vec::new();
    };
    let Some(mut rest) = bytes.strip_prefix(MAGIC) else {
        return Vec::new();
    };
    let mut entries = Vec::new();
    while !rest.is_empty() {
        match read_entry(rest) {
            Some((entry, after)) => {
                entries.push(entry);
                rest = after;
            }
            None => break,
        }
    }
    entries
}

fn take(bytes: &[u8], n: usize) -> Option<(&[u8], &[u8])> {
    (bytes.len() >= n).then(|| bytes.split_at(n))
}

fn u32_at(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let (head, rest) = take(bytes, 4)?;
    Some((u32::from_le_bytes(head.try_into().ok()?), rest))
}

fn read_entry(bytes: &[u8]) -> Option<(Entry, &[u8])> {
    let (len, rest) = u32_at(bytes)?;
    let (body, rest) = take(rest, len as usize)?;
    let (crc, rest) = u32_at(rest)?;
    if crc32fast::hash(body) != crc {
        return None;
    }
    let (id_len, body) = u32_at(body)?;
    let (id, body) = take(body, id_len as usize)?;
    let (numbers, json) = take(body, 8 * 9)?;
    let mut f = [0i64; 9];
    for (i, chunk) in numbers.chunks_exact(8).enumerate() {
        f[i] = i64::from_le_bytes(chunk.try_into().ok()?);
    }
    let stamp = Stamp {
        len: f[0] as u64,
        mtime: f[1],
        mtime_ns: f[2],
        ctime: f[3],
        ctime_ns: f[4],
        ino: f[5] as u64,
    };
    let (ref_len, json) = u32_at(json)?;
    let (source_ref, json) = match ref_len {
        u32::MAX => (None, json),
        n => {
            let (r, json) = take(json, n as usize)?;
            (Some(String::from_utf8(r.to_vec()).ok()?), json)
        }
    };
    let brief = Brief {
        open: f[6] != 0,
        received: f[7],
        last_event: f[8],
        source_ref,
    };
    let entry = Entry {
        id: String::from_utf8(id.to_vec()).ok()?,
        stamp,
        brief,
        json: json.to_vec(),
    };
    Some((entry, rest))
}

/// Replace a shard atomically (temporary file and rename); failures are ignored: the
/// cache is only an accelerator.
pub fn write(dir: &Path, name: &str, entries: &[Entry]) {
    let mut out = Vec::with_capacity(MAGIC.len() + entries.iter().map(|e| e.json.len() + 80).sum::<usize>());
    out.extend_from_slice(MAGIC);
    for e in entries {
        let mut body = Vec::with_capacity(e.json.len() + 60);
        body.extend_from_slice(&(e.id.len() as u32).to_le_bytes());
        body.extend_from_slice(e.id.as_bytes());
        let b = &e.brief;
        for v in e
            .stamp
            .fields()
            .into_iter()
            .chain([i64::from(b.open), b.received, b.last_event])
        {
            body.extend_from_slice(&v.to_le_bytes());
        }
        match &b.source_ref {
            Some(r) => {
                body.extend_from_slice(&(r.len() as u32).to_le_bytes());
                body.extend_from_slice(r.as_bytes());
            }
            None => body.extend_from_slice(&u32::MAX.to_le_bytes()),
        }
        body.extend_from_slice(&e.json);
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    }
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    if fs::write(&tmp, &out).is_ok() && fs::rename(&tmp, dir.join(name)).is_err() {
        let _ = fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_damage_is_detected() {
        let dir = tempfile::tempdir().unwrap();
        let stamp = Stamp {
            len: 10,
            mtime: 1,
            mtime_ns: 2,
            ctime: 3,
            ctime_ns: 4,
            ino: 5,
        };
        let brief = Brief {
            open: true,
            received: 6,
            last_event: 7,
            source_ref: Some("web-1".into()),
        };
        let entry = |id: &str, json: &[u8], source_ref: Option<&str>| Entry {
            id: id.into(),
            stamp,
            brief: Brief {
                source_ref: source_ref.map(str::to_string),
                ..brief.clone()
            },
            json: json.to_vec(),
        };
        let entries = vec![
            entry("20261123-001", b"{\"a\":1}", None),
            entry("20261123-002", b"{\"b\":2}", Some("web-1")),
        ];
        write(dir.path(), "20261123", &entries);
        let back = read(&dir.path().join("20261123"));
        assert_eq!(back.len(), 2);
        assert_eq!(
            (back[1].id.as_str(), back[1].stamp, back[1].json.as_slice()),
            ("20261123-002", stamp, &b"{\"b\":2}"[..])
        );
        assert_eq!(back[1].brief, brief);
        // Flip one byte in the second entry: only the first survives.
        let path = dir.path().join("20261123");
        let mut bytes = fs::read(&path).unwrap();
        let n = bytes.len();
        bytes[n - 8] ^= 1;
        fs::write(&path, &bytes).unwrap();
        assert_eq!(read(&path).len(), 1);
        // Truncated, or another version's: nothing.
        fs::write(&path, &bytes[..MAGIC.len() + 3]).unwrap();
        assert!(read(&path).is_empty());
        fs::write(&path, b"kefu-cache 0 0.0.0\n").unwrap();
        assert!(read(&path).is_empty());
    }
}
