//! The derived cache of parsed case files, `.kefu/cache/<YYYYMMDD>`: one shard per day
//! of receipt, holding each verified case as JSON with the file's size, mtime, ctime and
//! inode when it was parsed, its brief, and checksums (see [`Shard`]).
//!
//! Never the source of truth: an entry is used only when the file's metadata is exactly
//! what it was when the entry was made and its checksum holds; anything else (a hand
//! edit, a `git checkout`, a truncated or garbled shard, another kefu version) means the
//! file is parsed again. A file changed in the last two seconds is never cached, because
//! a later write within the same timestamp tick could leave its metadata unchanged.

use std::borrow::Cow;
use std::fs::{self, File};
use std::io::Read;
use std::path::Path;

/// Changes whenever the cached representation may change.
const MAGIC: &[u8] = concat!("kefu-cache 7 ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();

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
    #[cfg(unix)]
    pub fn of(meta: &fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: meta.len(),
            mtime: meta.mtime(),
            mtime_ns: meta.mtime_nsec(),
            ctime: meta.ctime(),
            ctime_ns: meta.ctime_nsec(),
            ino: meta.ino(),
        }
    }

    /// Without a change time or an inode, the size and the modification time (to the
    /// nanosecond where the file system keeps it) tell a changed file.
    #[cfg(not(unix))]
    pub fn of(meta: &fs::Metadata) -> Stamp {
        let since = |t: std::io::Result<std::time::SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or((0, 0), |d| (d.as_secs() as i64, i64::from(d.subsec_nanos())))
        };
        let (mtime, mtime_ns) = since(meta.modified());
        let (ctime, ctime_ns) = since(meta.created());
        Stamp {
            len: meta.len(),
            mtime,
            mtime_ns,
            ctime,
            ctime_ns,
            ino: 0,
        }
    }

    /// The file's size in bytes.
    pub fn size(&self) -> u64 {
        self.len
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
    /// The case's id (kept in the shard's head with the entry).
    pub id: String,
    pub open: bool,
    /// Seconds since the epoch.
    pub received: i64,
    /// The latest `at` of any event, in seconds since the epoch.
    pub last_event: i64,
    /// The complaint's reference in another system (import's duplicate check).
    pub source_ref: Option<String>,
    /// Who complained: the contact when there is one, else the name (repeat customers,
    /// SPEC §10.11).
    pub customer: String,
}

impl Brief {
    pub fn of(case: &crate::domain::case::Case) -> Brief {
        Brief {
            id: case.id.clone(),
            open: case.status.is_open(),
            received: case.received_at.timestamp(),
            last_event: case.events.iter().map(|e| e.at.timestamp()).max().unwrap_or(i64::MIN),
            source_ref: case.source_ref.clone(),
            customer: case.who().to_string(),
        }
    }
}

/// One cached case: the stamp of the file it came from, its brief, and where its JSON is.
pub struct Entry {
    pub id: String,
    pub stamp: Stamp,
    pub brief: Brief,
    json: Json,
}

enum Json {
    /// In the shard's body: offset from the body's start, length, checksum.
    InShard { at: u64, len: u32, crc: u32 },
    /// Just made from a parsed file.
    Fresh(Vec<u8>),
    /// None: the case was cached by its brief alone, when a scan passed over it (its
    /// JSON is made when a scan first wants the case).
    Absent,
}

/// The JSON length that marks an entry without JSON in a shard's head.
const ABSENT: u32 = u32::MAX;

impl Entry {
    pub fn fresh(id: String, stamp: Stamp, brief: Brief, json: Vec<u8>) -> Entry {
        Entry {
            id,
            stamp,
            brief,
            json: Json::Fresh(json),
        }
    }

    /// An entry of a parsed file with its brief but no JSON.
    pub fn brief_only(id: String, stamp: Stamp, brief: Brief) -> Entry {
        Entry {
            id,
            stamp,
            brief,
            json: Json::Absent,
        }
    }
}

/// A shard: a head listing every entry's id, stamp, brief and JSON length and checksum
/// (with a checksum of its own), then the JSON of each entry, in order. Opening it reads
/// only the head, so a scan passes over cases by their brief without reading their
/// JSON; an entry's JSON is read when it is asked for.
#[derive(Default)]
pub struct Shard {
    file: Option<File>,
    body_at: u64,
    entries: Vec<Entry>,
}

impl Shard {
    /// A missing, foreign or damaged shard is simply empty.
    pub fn open(path: &Path) -> Shard {
        File::open(path)
            .ok()
            .and_then(|mut file| {
                let mut top = vec![0; MAGIC.len() + 4];
                file.read_exact(&mut top).ok()?;
                let (magic, len) = top.split_at(MAGIC.len());
                if magic != MAGIC {
                    return None;
                }
                let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
                let mut head = vec![0; len + 4];
                file.read_exact(&mut head).ok()?;
                let (head, crc) = head.split_at(len);
                if crc32fast::hash(head) != u32::from_le_bytes(crc.try_into().ok()?) {
                    return None;
                }
                Some(Shard {
                    entries: read_head(head)?,
                    body_at: (top.len() + len + 4) as u64,
                    file: Some(file),
                })
            })
            .unwrap_or_default()
    }

    /// Its entries, in the order written; the shard keeps what it needs to read their JSON.
    pub fn take_entries(&mut self) -> Vec<Entry> {
        std::mem::take(&mut self.entries)
    }

    /// An entry's JSON, if it reads back whole.
    pub fn json<'e>(&self, entry: &'e Entry) -> Option<Cow<'e, [u8]>> {
        match &entry.json {
            Json::Fresh(json) => Some(Cow::Borrowed(json)),
            Json::Absent => None,
            &Json::InShard { at, len, crc } => {
                let mut json = vec![0; len as usize];
                read_exact_at(self.file.as_ref()?, &mut json, self.body_at + at).ok()?;
                (crc32fast::hash(&json) == crc).then_some(Cow::Owned(json))
            }
        }
    }
}

fn take(bytes: &[u8], n: usize) -> Option<(&[u8], &[u8])> {
    (bytes.len() >= n).then(|| bytes.split_at(n))
}

fn u32_at(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let (head, rest) = take(bytes, 4)?;
    Some((u32::from_le_bytes(head.try_into().ok()?), rest))
}

fn read_head(mut head: &[u8]) -> Option<Vec<Entry>> {
    let mut entries = Vec::new();
    let mut at = 0u64;
    while !head.is_empty() {
        let (id_len, rest) = u32_at(head)?;
        let (id, rest) = take(rest, id_len as usize)?;
        let (numbers, rest) = take(rest, 8 * 9)?;
        let mut f = [0i64; 9];
        for (i, chunk) in numbers.chunks_exact(8).enumerate() {
            f[i] = i64::from_le_bytes(chunk.try_into().ok()?);
        }
        let (ref_len, rest) = u32_at(rest)?;
        let (source_ref, rest) = match ref_len {
            u32::MAX => (None, rest),
            n => {
                let (r, rest) = take(rest, n as usize)?;
                (Some(String::from_utf8(r.to_vec()).ok()?), rest)
            }
        };
        let (who_len, rest) = u32_at(rest)?;
        let (customer, rest) = take(rest, who_len as usize)?;
        let customer = String::from_utf8(customer.to_vec()).ok()?;
        let (len, rest) = u32_at(rest)?;
        let (crc, rest) = u32_at(rest)?;
        head = rest;
        let id = String::from_utf8(id.to_vec()).ok()?;
        let json = match len {
            ABSENT => Json::Absent,
            _ => Json::InShard { at, len, crc },
        };
        entries.push(Entry {
            id: id.clone(),
            stamp: Stamp {
                len: f[0] as u64,
                mtime: f[1],
                mtime_ns: f[2],
                ctime: f[3],
                ctime_ns: f[4],
                ino: f[5] as u64,
            },
            brief: Brief {
                id,
                open: f[6] != 0,
                received: f[7],
                last_event: f[8],
                source_ref,
                customer,
            },
            json,
        });
        if len != ABSENT {
            at += u64::from(len);
        }
    }
    Some(entries)
}

/// Replace a shard atomically (temporary file and rename), taking the JSON of entries
/// not made afresh from `from`, the shard they were read from; an entry whose JSON no
/// longer reads back is left out. Failures are ignored: the cache is only an accelerator.
pub fn write(dir: &Path, name: &str, entries: &[Entry], from: &Shard) {
    let mut head = Vec::with_capacity(entries.len() * 120);
    let mut body = Vec::with_capacity(entries.len() * 2048);
    for e in entries {
        let json = match &e.json {
            Json::Absent => None,
            _ => match from.json(e) {
                Some(json) => Some(json),
                None => continue,
            },
        };
        head.extend_from_slice(&(e.id.len() as u32).to_le_bytes());
        head.extend_from_slice(e.id.as_bytes());
        let b = &e.brief;
        for v in e
            .stamp
            .fields()
            .into_iter()
            .chain([i64::from(b.open), b.received, b.last_event])
        {
            head.extend_from_slice(&v.to_le_bytes());
        }
        match &b.source_ref {
            Some(r) => {
                head.extend_from_slice(&(r.len() as u32).to_le_bytes());
                head.extend_from_slice(r.as_bytes());
            }
            None => head.extend_from_slice(&u32::MAX.to_le_bytes()),
        }
        head.extend_from_slice(&(b.customer.len() as u32).to_le_bytes());
        head.extend_from_slice(b.customer.as_bytes());
        match json {
            Some(json) => {
                head.extend_from_slice(&(json.len() as u32).to_le_bytes());
                head.extend_from_slice(&crc32fast::hash(&json).to_le_bytes());
                body.extend_from_slice(&json);
            }
            None => {
                head.extend_from_slice(&ABSENT.to_le_bytes());
                head.extend_from_slice(&0u32.to_le_bytes());
            }
        }
    }
    let mut out = Vec::with_capacity(MAGIC.len() + head.len() + body.len() + 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(head.len() as u32).to_le_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(&crc32fast::hash(&head).to_le_bytes());
    out.extend_from_slice(&body);
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    if fs::write(&tmp, &out).is_ok() && fs::rename(&tmp, dir.join(name)).is_err() {
        let _ = fs::remove_file(&tmp);
    }
}

/// Read `buf.len()` bytes at `offset` without moving a shared cursor.
#[cfg(unix)]
fn read_exact_at(file: &fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &fs::File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
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
            id: "20261123-002".into(),
            open: true,
            received: 6,
            last_event: 7,
            source_ref: Some("web-1".into()),
            customer: "13800000000".into(),
        };
        let entry = |id: &str, json: &[u8], source_ref: Option<&str>| {
            let brief = Brief {
                id: id.into(),
                source_ref: source_ref.map(str::to_string),
                ..brief.clone()
            };
            Entry::fresh(id.into(), stamp, brief, json.to_vec())
        };
        let entries = vec![
            entry("20261123-001", b"{\"a\":1}", None),
            entry("20261123-002", b"{\"b\":2}", Some("web-1")),
            Entry::brief_only(
                "20261123-003".into(),
                stamp,
                Brief {
                    id: "20261123-003".into(),
                    ..brief.clone()
                },
            ),
        ];
        write(dir.path(), "20261123", &entries, &Shard::default());
        let path = dir.path().join("20261123");
        let mut shard = Shard::open(&path);
        let back = shard.take_entries();
        assert_eq!(back.len(), 3);
        assert_eq!((back[1].id.as_str(), back[1].stamp), ("20261123-002", stamp));
        assert_eq!(back[1].brief, brief);
        assert_eq!(*shard.json(&back[1]).unwrap(), *b"{\"b\":2}");
        // An entry by its brief alone comes back so, and takes no room in the body.
        assert_eq!(
            (back[2].id.as_str(), back[2].brief.source_ref.as_deref()),
            ("20261123-003", Some("web-1"))
        );
        assert!(shard.json(&back[2]).is_none());
        // Rewritten with one entry kept from the shard read and one made afresh.
        let kept = back.into_iter().nth(1).unwrap();
        write(
            dir.path(),
            "20261123",
            &[entry("20261123-001", b"{}", None), kept],
            &shard,
        );
        let mut shard = Shard::open(&path);
        let back = shard.take_entries();
        assert_eq!(*shard.json(&back[0]).unwrap(), *b"{}");
        assert_eq!(*shard.json(&back[1]).unwrap(), *b"{\"b\":2}");
        // Flip one byte of the second entry's JSON: only that JSON is refused.
        let mut bytes = fs::read(&path).unwrap();
        let n = bytes.len();
        bytes[n - 2] ^= 1;
        fs::write(&path, &bytes).unwrap();
        let mut shard = Shard::open(&path);
        let back = shard.take_entries();
        assert_eq!(back.len(), 2);
        assert!(shard.json(&back[0]).is_some());
        assert!(shard.json(&back[1]).is_none());
        // A damaged head, a truncated shard, another version's: nothing.
        bytes[n - 2] ^= 1;
        bytes[MAGIC.len() + 6] ^= 1;
        fs::write(&path, &bytes).unwrap();
        assert!(Shard::open(&path).take_entries().is_empty());
        fs::write(&path, &bytes[..MAGIC.len() + 3]).unwrap();
        assert!(Shard::open(&path).take_entries().is_empty());
        fs::write(&path, b"kefu-cache 0 0.0.0\n").unwrap();
        assert!(Shard::open(&path).take_entries().is_empty());
    }
}
