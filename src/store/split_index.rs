//! The user's git index, updated in place when it is split (`core.splitIndex`, which
//! `kefu init` sets): the few entries a one-action commit changes are written into the
//! index's own small part, and the shared part (one entry per case file, 9.6 MB at
//! 100,000 cases) is only scanned for the changed paths' places.
//!
//! `git update-index` parses every shared entry into memory first: 17 ms at 100,000
//! cases, as long as the commit itself. This takes 3–4 ms (the shared part is mapped,
//! not copied) while git writes the commit. Only an index whose every part is
//! understood here is written: version 2 or 3, its own part naming its shared part,
//! and no extension but the cached trees (`TREE`), the resolve-undo records (`REUC`,
//! copied) and the offset tables (`EOIE`, `IEOT`, dropped: they only speed up
//! reading). Anything else (a version 4 index, an untracked cache, a file-system
//! monitor, a sparse index, a conflict, an `index.lock` held by someone) is left to
//! `git update-index`.
//!
//! The format is git's `Documentation/gitformat-index.txt`.

use std::io::Write;
use std::path::Path;

/// One path's new index entry: its blob, or `None` to remove it.
pub struct Change<'a> {
    /// From the top of the work tree, `/`-separated.
    pub path: &'a str,
    pub blob: Option<[u8; 20]>,
}

/// The fixed part of an entry before its flags: ten 32-bit stat fields and the object id.
const STAT_AND_ID: usize = 40 + 20;
/// `flags`: the entry has a second flags word (version 3).
const EXTENDED: u16 = 0x4000;
/// `flags`: the name's length, or this when it is longer.
const NAME_MASK: u16 = 0x0fff;

/// Write `changes` into the split index of the repository at `git_dir`, as `git
/// update-index --index-info` would with mode 100644 and no stat data. False when the
/// index is not one this module writes, or could not be written: then it is as it was,
/// and git is asked (which says in its own words what is wrong, if anything is).
pub fn update(git_dir: &Path, changes: &[Change]) -> bool {
    if std::env::var_os("GIT_INDEX_FILE").is_some() {
        return false;
    }
    let index = git_dir.join("index");
    let lock = git_dir.join("index.lock");
    // Taken before the index is read, as git does: nobody changes it meanwhile.
    let Ok(mut file) = std::fs::OpenOptions::new().write(true).create_new(true).open(&lock) else {
        return false;
    };
    let done = match rewritten(&index, changes) {
        Some(bytes) => {
            file.write_all(&bytes).is_ok() && {
                drop(file);
                std::fs::rename(&lock, &index).is_ok()
            }
        }
        None => false,
    };
    if !done {
        let _ = std::fs::remove_file(&lock);
    }
    done
}

/// The index file at `path` with `changes` made, if it is one this module writes.
fn rewritten(path: &Path, changes: &[Change]) -> Option<Vec<u8>> {
    let own = std::fs::read(path).ok()?;
    let written = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    let mut index = Own::parse(&own)?;
    let shared = std::fs::File::open(path.with_file_name(format!("sharedindex.{}", hex(&index.base)))).ok()?;
    // SAFETY: git never changes a shared index file in place: a new one gets a new
    // name (its checksum), and an old one is only ever deleted.
    let shared = unsafe { memmap2::Mmap::map(&shared) }.ok()?;
    // An entry whose file changed in the second the index was written is "racily
    // clean": git trusts its stat data only while the index is older than the file,
    // and when git rewrites the index it first compares such files' content. Rare (a
    // write within a second of git's), and left to git.
    let paths: Vec<&[u8]> = changes.iter().map(|c| c.path.as_bytes()).collect();
    let (_, count) = header(&shared)?;
    let places = scan(&shared, count, &paths, written)?;
    if index
        .replaced
        .iter()
        .chain(&index.deleted)
        .any(|&p| p as usize >= count)
        || index.replacements.iter().chain(&index.added).any(|e| e.racy(written))
    {
        return None;
    }
    index.apply(&places, changes);
    index.write(changes, own[own.len() - 20..] != [0; 20])
}

/// An index's own part, parsed as far as this module changes it.
struct Own<'a> {
    version: u32,
    /// The shared part's id (the `link` extension).
    base: [u8; 20],
    /// Shared positions deleted, and replaced by `replacements` (in this order).
    deleted: Vec<u32>,
    replaced: Vec<u32>,
    /// The replacements (nameless: git takes the shared entry's name), then the
    /// entries the shared part does not have, by name.
    replacements: Vec<Entry<'a>>,
    added: Vec<Entry<'a>>,
    tree: Option<&'a [u8]>,
    /// Extensions copied as they are (`REUC`), headers included.
    kept: Vec<&'a [u8]>,
}

/// An entry as the file holds it, padding included.
struct Entry<'a> {
    bytes: std::borrow::Cow<'a, [u8]>,
    /// Where its name starts, and the name's length.
    name_at: usize,
    name_len: usize,
}

impl<'a> Entry<'a> {
    /// The version-2/3 entry at the start of `b`.
    fn parse(b: &'a [u8]) -> Option<Entry<'a>> {
        let flags = be16(b, STAT_AND_ID)?;
        if flags & STAGE != 0 {
            return None;
        }
        let name_at = STAT_AND_ID + 2 + if flags & EXTENDED != 0 { 2 } else { 0 };
        let name_len = match flags & NAME_MASK {
            NAME_MASK => b.get(name_at..)?.iter().position(|&c| c == 0)?,
            n => usize::from(n),
        };
        // One to eight NULs pad an entry to a multiple of eight bytes.
        let size = (name_at + name_len + 8) & !7;
        Some(Entry {
            bytes: b.get(..size)?.into(),
            name_at,
            name_len,
        })
    }

    /// A regular file's entry for `blob`, with no stat data, as `update-index
    /// --index-info` makes one (git compares the file's content the next time).
    fn new(name: &[u8], blob: &[u8; 20]) -> Entry<'static> {
        let name_at = STAT_AND_ID + 2;
        let mut bytes = vec![0; (name_at + name.len() + 8) & !7];
        bytes[24..28].copy_from_slice(&0o100644u32.to_be_bytes());
        bytes[40..60].copy_from_slice(blob);
        let flags = name.len().min(usize::from(NAME_MASK)) as u16;
        bytes[60..62].copy_from_slice(&flags.to_be_bytes());
        bytes[name_at..name_at + name.len()].copy_from_slice(name);
        Entry {
            bytes: bytes.into(),
            name_at,
            name_len: name.len(),
        }
    }

    fn name(&self) -> &[u8] {
        &self.bytes[self.name_at..self.name_at + self.name_len]
    }

    /// Modified no earlier than the index was written (`written`, in seconds): git
    /// cannot trust such an entry's stat data once the index is rewritten later.
    fn racy(&self, written: u64) -> bool {
        be32(&self.bytes, 8).is_some_and(|mtime| mtime != 0 && u64::from(mtime) >= written)
    }
}

/// `flags`: the merge stage (non-zero in a conflict).
const STAGE: u16 = 0x3000;

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn hex(id: &[u8]) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

/// The header's version and entry count, when this module reads that version.
fn header(b: &[u8]) -> Option<(u32, usize)> {
    if b.get(..4)? != b"DIRC" || b.len() < 12 + 20 {
        return None;
    }
    let version = be32(b, 4)?;
    matches!(version, 2 | 3).then_some((version, be32(b, 8)? as usize))
}

/// The places of `paths` in the shared part, in one pass over its
/// entries without keeping them; `None` when one is racily clean (see `update`).
fn scan(b: &[u8], count: usize, paths: &[&[u8]], written: u64) -> Option<Vec<Option<u32>>> {
    let mut places = vec![None; paths.len()];
    let mut at = 12;
    for position in 0..count {
        let entry = Entry::parse(b.get(at..)?)?;
        if entry.racy(written) {
            return None;
        }
        for (path, place) in paths.iter().zip(&mut places) {
            if entry.name() == *path {
                *place = Some(u32::try_from(position).ok()?);
            }
        }
        at += entry.bytes.len();
    }
    Some(places)
}

/// The entries of a file's entry section, from offset 12; and where they end.
fn entries(b: &[u8], count: usize) -> Option<(Vec<Entry<'_>>, usize)> {
    let mut entries = Vec::with_capacity(count);
    let mut at = 12;
    for _ in 0..count {
        let entry = Entry::parse(b.get(at..)?)?;
        at += entry.bytes.len();
        entries.push(entry);
    }
    Some((entries, at))
}

impl<'a> Own<'a> {
    fn parse(b: &'a [u8]) -> Option<Own<'a>> {
        let (version, count) = header(b)?;
        let body = &b[..b.len() - 20];
        let (mut entries, mut at) = entries(body, count)?;
        let (mut link, mut tree, mut kept) = (None, None, Vec::new());
        while at < body.len() {
            let signature = body.get(at..at + 4)?;
            let size = be32(body, at + 4)? as usize;
            let data = body.get(at + 8..at + 8 + size)?;
            match signature {
                b"link" => link = Some(data),
                b"TREE" => tree = Some(data),
                b"REUC" => kept.push(&body[at..at + 8 + size]),
                b"EOIE" | b"IEOT" => {}
                _ => return None,
            }
            at += 8 + size;
        }
        let link = link?;
        let base = <[u8; 20]>::try_from(link.get(..20)?).ok()?;
        let (deleted, replaced) = match &link[20..] {
            [] => (Vec::new(), Vec::new()),
            bitmaps => {
                let (deleted, used) = ewah::read(bitmaps)?;
                let (replaced, rest) = ewah::read(&bitmaps[used..])?;
                if used + rest != bitmaps.len() {
                    return None;
                }
                (deleted, replaced)
            }
        };
        if replaced.len() > entries.len() {
            return None;
        }
        let added = entries.split_off(replaced.len());
        let replacements = entries;
        if replacements.iter().any(|e| e.name_len != 0) || added.iter().any(|e| e.name_len == 0) {
            return None;
        }
        Some(Own {
            version,
            base,
            deleted,
            replaced,
            replacements,
            added,
            tree,
            kept,
        })
    }

    /// Apply `changes`, `places[i]` being the place of `changes[i]` in the shared part.
    fn apply(&mut self, places: &[Option<u32>], changes: &[Change]) {
        for (change, &place) in changes.iter().zip(places) {
            let name = change.path.as_bytes();
            if let Ok(i) = self.added.binary_search_by(|e| e.name().cmp(name)) {
                match &change.blob {
                    Some(blob) => self.added[i] = Entry::new(name, blob),
                    None => {
                        self.added.remove(i);
                    }
                }
                continue;
            }
            let shared = place.filter(|p| self.deleted.binary_search(p).is_err());
            let Some(p) = shared else {
                if let Some(blob) = &change.blob {
                    let at = self.added.partition_point(|e| e.name() < name);
                    self.added.insert(at, Entry::new(name, blob));
                }
                continue;
            };
            let rank = self.replaced.partition_point(|&r| r < p);
            let is_replaced = self.replaced.get(rank) == Some(&p);
            match &change.blob {
                Some(blob) => {
                    let entry = Entry::new(b"", blob);
                    if is_replaced {
                        self.replacements[rank] = entry;
                    } else {
                        self.replaced.insert(rank, p);
                        self.replacements.insert(rank, entry);
                    }
                }
                None => {
                    // git rejects a shared entry both replaced and deleted.
                    if is_replaced {
                        self.replaced.remove(rank);
                        self.replacements.remove(rank);
                    }
                    let at = self.deleted.partition_point(|&d| d < p);
                    self.deleted.insert(at, p);
                }
            }
        }
    }

    /// The file, its cached trees on the changed paths invalidated.
    fn write(&self, changes: &[Change], checksum: bool) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(4096);
        out.extend_from_slice(b"DIRC");
        out.extend_from_slice(&self.version.to_be_bytes());
        let count = self.replacements.len() + self.added.len();
        out.extend_from_slice(&u32::try_from(count).ok()?.to_be_bytes());
        for entry in self.replacements.iter().chain(&self.added) {
            out.extend_from_slice(&entry.bytes);
        }
        let mut link = self.base.to_vec();
        ewah::write(&self.deleted, &mut link);
        ewah::write(&self.replaced, &mut link);
        extension(&mut out, b"link", &link);
        if let Some(tree) = self.tree {
            let paths: Vec<&[u8]> = changes.iter().map(|c| c.path.as_bytes()).collect();
            let mut invalidated = Vec::with_capacity(tree.len());
            let mut at = 0;
            while at < tree.len() {
                cached_tree(tree, &mut at, b"", &paths, &mut invalidated)?;
            }
            extension(&mut out, b"TREE", &invalidated);
        }
        for kept in &self.kept {
            out.extend_from_slice(kept);
        }
        let trailer = match checksum {
            true => sha1_smol::Sha1::from(&out).digest().bytes(),
            false => [0; 20],
        };
        out.extend_from_slice(&trailer);
        Some(out)
    }
}

fn extension(out: &mut Vec<u8>, signature: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(signature);
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(data);
}

/// Copy the cached tree at `at` (a folder `parent` holds) and its subtrees, marking
/// each folder on one of `paths` as changed, as git does when it updates an entry: a
/// folder is `name NUL entries SP subtrees LF`, then its tree id unless `entries` is
/// -1, then its subtrees.
fn cached_tree(b: &[u8], at: &mut usize, parent: &[u8], paths: &[&[u8]], out: &mut Vec<u8>) -> Option<()> {
    let name_end = *at + b.get(*at..)?.iter().position(|&c| c == 0)?;
    let name = &b[*at..name_end];
    let line_end = name_end + b.get(name_end..)?.iter().position(|&c| c == b'\n')?;
    let counts = std::str::from_utf8(&b[name_end + 1..line_end]).ok()?;
    let (entries, subtrees) = counts.split_once(' ')?;
    let entries: i64 = entries.parse().ok()?;
    let subtrees: usize = subtrees.parse().ok()?;
    *at = line_end + 1;
    let folder = match parent.is_empty() && name.is_empty() {
        true => Vec::new(),
        false => [parent, name, b"/"].concat(),
    };
    let changed = paths.iter().any(|p| p.starts_with(&folder));
    out.extend_from_slice(name);
    out.push(0);
    if entries >= 0 {
        let id = b.get(*at..*at + 20)?;
        *at += 20;
        if !changed {
            out.extend_from_slice(format!("{entries} {subtrees}\n").as_bytes());
            out.extend_from_slice(id);
        }
    }
    if changed || entries < 0 {
        out.extend_from_slice(format!("-1 {subtrees}\n").as_bytes());
    }
    for _ in 0..subtrees {
        cached_tree(b, at, &folder, paths, out)?;
    }
    Some(())
}

/// git's compressed bitmaps (EWAH, 64-bit words), as the `link` extension holds them:
/// a bit per shared entry, for the deleted ones and the replaced ones.
mod ewah {
    /// The set positions, ascending, and how many bytes the bitmap took.
    pub fn read(b: &[u8]) -> Option<(Vec<u32>, usize)> {
        let words = super::be32(b, 4)? as usize;
        let end = 8 + words.checked_mul(8)? + 4;
        if b.len() < end {
            return None;
        }
        let word = |i: usize| u64::from_be_bytes(b[8 + i * 8..16 + i * 8].try_into().unwrap_or_default());
        let mut set = Vec::new();
        let (mut pos, mut i) = (0u64, 0usize);
        while i < words {
            // A marker word: a run of `run` words all of `bit`, then `literals` words.
            let marker = word(i);
            let run = (marker >> 1) & 0xffff_ffff;
            let literals = (marker >> 33) as usize;
            if marker & 1 == 1 {
                for p in pos..pos + run * 64 {
                    set.push(u32::try_from(p).ok()?);
                }
            }
            pos += run * 64;
            i += 1;
            for _ in 0..literals {
                if i >= words {
                    return None;
                }
                let mut bits = word(i);
                while bits != 0 {
                    set.push(u32::try_from(pos + u64::from(bits.trailing_zeros())).ok()?);
                    bits &= bits - 1;
                }
                pos += 64;
                i += 1;
            }
        }
        Some((set, end))
    }

    /// `set` (ascending) as git writes it: runs of empty words, then the words with a
    /// bit set.
    pub fn write(set: &[u32], out: &mut Vec<u8>) {
        let mut words: Vec<u64> = vec![0];
        let mut marker = 0;
        let mut next = 0u64;
        let mut i = 0;
        while i < set.len() {
            let w = u64::from(set[i]) / 64;
            let mut literal = 0u64;
            while i < set.len() && u64::from(set[i]) / 64 == w {
                literal |= 1 << (set[i] % 64);
                i += 1;
            }
            let gap = w - next;
            if gap > 0 {
                if words[marker] >> 33 != 0 {
                    marker = words.len();
                    words.push(0);
                }
                words[marker] += gap << 1;
            }
            words[marker] += 1 << 33;
            words.push(literal);
            next = w + 1;
        }
        let bits = set.last().map_or(0, |&p| p + 1);
        out.extend_from_slice(&bits.to_be_bytes());
        out.extend_from_slice(&(words.len() as u32).to_be_bytes());
        for w in &words {
            out.extend_from_slice(&w.to_be_bytes());
        }
        out.extend_from_slice(&(marker as u32).to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str], input: &[u8]) -> String {
        let mut child = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("git runs");
        child.stdin.take().expect("stdin").write_all(input).expect("git reads");
        let out = child.wait_with_output().expect("git ends");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8")
    }

    fn blob(dir: &Path, text: &str) -> [u8; 20] {
        let id = git(dir, &["hash-object", "-w", "--stdin"], text.as_bytes());
        let mut bytes = [0; 20];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(&id[2 * i..2 * i + 2], 16).expect("hex");
        }
        bytes
    }

    /// A repository with a split index holding 40 case files in three month folders,
    /// all in the shared part and older than the index; then the user's own changes:
    /// a staged edit (a replacement), a removal from the index (a deletion) and a
    /// staged new file.
    fn repo(old_files: bool) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let d = dir.path();
        git(d, &["init", "-q"], b"");
        git(d, &["config", "core.splitIndex", "true"], b"");
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for i in 0..40 {
            let path = d.join(format!("cases/2026/{:02}/c{i:02}.toml", 1 + i % 3));
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder made");
            std::fs::write(&path, format!("id = {i}\n")).expect("file written");
            if old_files {
                std::fs::File::options()
                    .write(true)
                    .open(&path)
                    .and_then(|f| f.set_modified(hour_ago))
                    .expect("times set");
            }
        }
        git(d, &["add", "-A"], b"");
        git(d, &["commit", "-q", "-m", "cases"], b"");
        git(d, &["update-index", "--split-index"], b"");
        std::fs::write(d.join("cases/2026/01/c00.toml"), "id = 0 # edited\n").expect("edited");
        std::fs::write(d.join("notes.txt"), "to do\n").expect("written");
        for file in ["cases/2026/01/c00.toml", "notes.txt"] {
            if old_files {
                std::fs::File::options()
                    .write(true)
                    .open(d.join(file))
                    .and_then(|f| f.set_modified(hour_ago))
                    .expect("times set");
            }
        }
        git(d, &["add", "cases/2026/01/c00.toml", "notes.txt"], b"");
        git(d, &["rm", "-q", "--cached", "cases/2026/02/c01.toml"], b"");
        dir
    }

    /// What git makes of an index: its entries, the tree they make, what is staged.
    fn seen(d: &Path) -> (String, String, String) {
        (
            git(d, &["ls-files", "--stage"], b""),
            git(d, &["write-tree"], b""),
            git(d, &["diff", "--cached", "--name-status"], b""),
        )
    }

    #[test]
    fn an_update_leaves_the_index_git_update_index_would() {
        let ours = repo(true);
        let theirs = repo(true);
        let own = std::fs::read(ours.path().join(".git/index")).expect("an index");
        let parsed = Own::parse(&own).expect("a split index kefu writes");
        assert!(parsed.tree.is_some() && !parsed.replaced.is_empty() && !parsed.deleted.is_empty());
        assert!(!parsed.added.is_empty());
        let blobs: Vec<[u8; 20]> = ["new\n", "replaced\n", "replaced again\n"]
            .iter()
            .map(|t| {
                blob(theirs.path(), t);
                blob(ours.path(), t)
            })
            .collect();
        // A new path, a shared entry replaced, the user's replaced entry replaced again,
        // a shared entry and the user's new entry removed, a path in no part removed.
        let changes = [
            Change {
                path: "cases/2026/03/new.toml",
                blob: Some(blobs[0]),
            },
            Change {
                path: "cases/2026/02/c04.toml",
                blob: Some(blobs[1]),
            },
            Change {
                path: "cases/2026/01/c00.toml",
                blob: Some(blobs[2]),
            },
            Change {
                path: "cases/2026/03/c02.toml",
                blob: None,
            },
            Change {
                path: "notes.txt",
                blob: None,
            },
            Change {
                path: "cases/2026/09/gone.toml",
                blob: None,
            },
        ];
        let mut info = String::new();
        for c in &changes {
            match c.blob {
                Some(b) => info.push_str(&format!("100644 {}\t{}\n", hex(&b), c.path)),
                None => info.push_str(&format!("0 {}\t{}\n", "0".repeat(40), c.path)),
            }
        }
        git(theirs.path(), &["update-index", "--index-info"], info.as_bytes());
        assert!(
            update(&ours.path().join(".git"), &changes),
            "written here, not left to git"
        );
        assert_eq!(seen(ours.path()), seen(theirs.path()));
        git(ours.path(), &["fsck", "--no-dangling", "--no-progress"], b"");

        // Again over the index just written: the entries added are now the index's own.
        let again = [
            Change {
                path: "cases/2026/03/new.toml",
                blob: None,
            },
            Change {
                path: "cases/2026/02/c04.toml",
                blob: Some(blobs[0]),
            },
        ];
        let info = format!(
            "0 {}\tcases/2026/03/new.toml\n100644 {}\tcases/2026/02/c04.toml\n",
            "0".repeat(40),
            hex(&blobs[0])
        );
        git(theirs.path(), &["update-index", "--index-info"], info.as_bytes());
        std::fs::File::options()
            .write(true)
            .open(ours.path().join(".git/index"))
            .and_then(|f| f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(60)))
            .expect("times set");
        assert!(update(&ours.path().join(".git"), &again));
        assert_eq!(seen(ours.path()), seen(theirs.path()));
        git(ours.path(), &["fsck", "--no-dangling", "--no-progress"], b"");
    }

    #[test]
    fn racily_clean_entries_and_a_held_lock_are_left_to_git() {
        // Files as new as the index: git would compare their content before trusting
        // their stat data again.
        let new = repo(false);
        let git_dir = new.path().join(".git");
        let before = std::fs::read(git_dir.join("index")).expect("an index");
        let change = [Change {
            path: "cases/2026/03/new.toml",
            blob: Some([7; 20]),
        }];
        assert!(!update(&git_dir, &change));
        assert_eq!(std::fs::read(git_dir.join("index")).expect("an index"), before);
        assert!(!git_dir.join("index.lock").exists());

        // Somebody else's lock is neither waited for nor removed.
        let old = repo(true);
        let git_dir = old.path().join(".git");
        std::fs::write(git_dir.join("index.lock"), "").expect("a lock");
        assert!(!update(&git_dir, &change));
        assert!(git_dir.join("index.lock").exists());
    }

    #[test]
    fn bitmaps_read_back_as_written_and_as_git_writes_them() {
        let sets: [&[u32]; 6] = [
            &[],
            &[0],
            &[200],
            &[1, 2, 63, 64, 65],
            &[5, 1000, 1001, 70_000],
            &[3, 64 * 9 + 1],
        ];
        for set in sets {
            let mut bytes = Vec::new();
            ewah::write(set, &mut bytes);
            assert_eq!(ewah::read(&bytes), Some((set.to_vec(), bytes.len())), "{set:?}");
        }
        // git's own for {200}: 3 empty words, then one word with bit 8.
        let mut bytes = Vec::new();
        ewah::write(&[200], &mut bytes);
        let marker: u64 = (3 << 1) | (1 << 33);
        let want = [
            &201u32.to_be_bytes()[..],
            &2u32.to_be_bytes(),
            &marker.to_be_bytes(),
            &(1u64 << 8).to_be_bytes(),
            &0u32.to_be_bytes(),
        ]
        .concat();
        assert_eq!(bytes, want);
        // A run of set words, as git compresses full ones.
        let run: u64 = 1 | (2 << 1) | (1 << 33);
        let full = [
            &130u32.to_be_bytes()[..],
            &2u32.to_be_bytes(),
            &run.to_be_bytes(),
            &2u64.to_be_bytes(),
            &0u32.to_be_bytes(),
        ]
        .concat();
        let (set, used) = ewah::read(&full).expect("a bitmap");
        assert_eq!(used, full.len());
        assert_eq!(set, (0..128).chain([129]).collect::<Vec<u32>>());
    }
}
