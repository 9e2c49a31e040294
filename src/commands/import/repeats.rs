//! Which rows of an import repeat a source ref, found without holding every ref in
//! memory: each row's ref digest is noted with its row number, in sorted runs that go
//! to unnamed temporary files as they fill; merged, the runs bring equal digests
//! together, and every row after a ref's first (or whose ref the workspace already
//! has) is a repeat. The answer is one bit a row.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// How many (digest, row) pairs are sorted in memory at once: 1 MiB.
const RUN: usize = 1 << 15;
/// A pair on disk: the digest, then the row, little-endian.
const PAIR: usize = 24;

/// A sorted run of (digest, row) pairs, in memory or read back from its file.
type Run = Box<dyn Iterator<Item = io::Result<(u128, u64)>>>;

pub struct Notes {
    run: Vec<(u128, u64)>,
    limit: usize,
    spilled: Vec<File>,
}

impl Notes {
    pub fn new() -> Notes {
        Notes::with_run(RUN)
    }

    fn with_run(limit: usize) -> Notes {
        Notes {
            run: Vec::new(),
            limit,
            spilled: Vec::new(),
        }
    }

    /// Note that `row` carries the ref of `digest`; rows are noted in file order.
    pub fn note(&mut self, digest: u128, row: u64) -> io::Result<()> {
        self.run.push((digest, row));
        if self.run.len() >= self.limit {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> io::Result<()> {
        self.run.sort_unstable();
        let mut file = BufWriter::new(tempfile::tempfile()?);
        for (digest, row) in self.run.drain(..) {
            file.write_all(&digest.to_le_bytes())?;
            file.write_all(&row.to_le_bytes())?;
        }
        let mut file = file.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        self.spilled.push(file);
        Ok(())
    }

    /// The rows that repeat a ref: one the workspace has (`known`) or an earlier row's.
    pub fn repeats(mut self, known: impl Fn(u128) -> bool) -> io::Result<Rows> {
        self.run.sort_unstable();
        let mut runs: Vec<Run> = Vec::new();
        runs.push(Box::new(std::mem::take(&mut self.run).into_iter().map(Ok)));
        for file in self.spilled.drain(..) {
            runs.push(Box::new(pairs(file)));
        }
        // A k-way merge: the smallest pair of each run on a heap.
        let mut heap = BinaryHeap::new();
        for (i, run) in runs.iter_mut().enumerate() {
            if let Some(pair) = run.next().transpose()? {
                heap.push(Reverse((pair, i)));
            }
        }
        let mut rows = Rows::default();
        let mut last = None;
        while let Some(Reverse(((digest, row), i))) = heap.pop() {
            // Equal digests come in row order, so the first is the ref's first row.
            if last == Some(digest) || known(digest) {
                rows.insert(row);
            }
            last = Some(digest);
            if let Some(pair) = runs[i].next().transpose()? {
                heap.push(Reverse((pair, i)));
            }
        }
        Ok(rows)
    }
}

/// The pairs of a spilled run, in order.
fn pairs(file: File) -> impl Iterator<Item = io::Result<(u128, u64)>> {
    let mut file = BufReader::with_capacity(64 * PAIR * 16, file);
    std::iter::from_fn(move || {
        let mut pair = [0u8; PAIR];
        match file.read_exact(&mut pair) {
            Ok(()) => {
                let (digest, row) = pair.split_at(16);
                let digest = u128::from_le_bytes(digest.try_into().unwrap_or_default());
                let row = u64::from_le_bytes(row.try_into().unwrap_or_default());
                Some(Ok((digest, row)))
            }
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => None,
            Err(e) => Some(Err(e)),
        }
    })
}

/// A set of row numbers, a bit each.
#[derive(Default)]
pub struct Rows {
    bits: Vec<u64>,
    count: usize,
}

impl Rows {
    fn insert(&mut self, row: u64) {
        let (word, bit) = ((row / 64) as usize, row % 64);
        if self.bits.len() <= word {
            self.bits.resize(word + 1, 0);
        }
        if self.bits[word] & (1 << bit) == 0 {
            self.bits[word] |= 1 << bit;
            self.count += 1;
        }
    }

    pub fn contains(&self, row: u64) -> bool {
        self.bits
            .get((row / 64) as usize)
            .is_some_and(|w| w & (1 << (row % 64)) != 0)
    }

    pub fn len(&self) -> usize {
        self.count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Spilled in runs of 7 or held whole, the repeats are what one set of every ref
    /// seen so far finds, row by row.
    #[test]
    fn repeats_are_what_a_set_of_every_ref_would_find() {
        let known: HashSet<u128> = [3, 40].into_iter().collect();
        // A small ref space, so that many rows repeat; some refs the workspace has.
        let refs: Vec<u128> = (0..500u64).map(|i| u128::from(i * 7919 % 61)).collect();
        let mut seen = known.clone();
        let want: Vec<u64> = (0..500u64).filter(|&row| !seen.insert(refs[row as usize])).collect();
        for limit in [7, RUN] {
            let mut notes = Notes::with_run(limit);
            for (row, &digest) in refs.iter().enumerate() {
                notes.note(digest, row as u64).unwrap();
            }
            assert_eq!(notes.spilled.is_empty(), limit == RUN);
            let rows = notes.repeats(|d| known.contains(&d)).unwrap();
            let got: Vec<u64> = (0..500).filter(|&row| rows.contains(row)).collect();
            assert_eq!(got, want, "runs of {limit}");
            assert_eq!(rows.len(), want.len());
        }
    }
}
